"""factory_boy factories for the domain models."""

from datetime import date, timedelta
from decimal import Decimal

import factory

from assessment.models import County, Cycle, Round, Unit, User
from indicators.models import Category, Indicator, RuleItem
from scoring.entry.delivery import deliver
from scoring.models import AnnualInput, Delivery, Progress


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}区")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"U{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}局")


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2020 + n)
    status = Cycle.Status.ACTIVE


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    cycle = factory.SubFactory(CycleFactory)
    code = "april"
    name = "4月预考核"
    kind = Round.Kind.PRE
    status = Round.Status.OPEN
    expected_progress = Decimal("33.33")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"类别{n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    cycle = factory.SubFactory(CycleFactory)
    code = factory.Sequence(lambda n: f"I{n:03d}")
    name = factory.Sequence(lambda n: f"指标{n}")
    category = factory.SubFactory(CategoryFactory, cycle=factory.SelfAttribute("..cycle"))
    weight = Decimal("10")
    unit = factory.SubFactory(UnitFactory)


class RuleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleItem

    indicator = factory.SubFactory(IndicatorFactory)
    cycle = factory.SelfAttribute("indicator.cycle")
    code = factory.Sequence(lambda n: f"K{n:04d}")
    name = factory.Sequence(lambda n: f"项目{n}")
    share = Decimal("100")
    method = "manual"
    params = ""


class AnnualInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualInput

    item = factory.SubFactory(RuleItemFactory)
    cycle = factory.SelfAttribute("item.cycle")
    county = factory.SubFactory(CountyFactory)
    actual = Decimal("80")
    target = None


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progress

    round = factory.SubFactory(RoundFactory)
    cycle = factory.SelfAttribute("round.cycle")
    indicator = factory.SubFactory(IndicatorFactory, cycle=factory.SelfAttribute("..cycle"))
    county = factory.SubFactory(CountyFactory)
    value = Decimal("50")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.COUNTY
    password = factory.django.Password("pass1234")


class WarningFactory(factory.django.DjangoModelFactory):
    """A current warning (behind target unless told otherwise)."""

    class Meta:
        model = "alerts.Warning"

    round = factory.SubFactory(RoundFactory, status=Round.Status.CLOSED)
    cycle = factory.SelfAttribute("round.cycle")
    indicator = factory.SubFactory(IndicatorFactory, cycle=factory.SelfAttribute("..cycle"))
    county = factory.SubFactory(CountyFactory)
    behind_target = True
    progress = Decimal("12.5")
    place = 4
    reported = 4
    expected = Decimal("33.33")


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "alerts.Rectification"

    warning = factory.SubFactory(WarningFactory)
    cycle = factory.SelfAttribute("warning.cycle")
    county = factory.SelfAttribute("warning.county")
    measures = "召开专题会议，倒排工期，逐项落实。"
    owner = "张三"
    deadline = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


def deliver_all(rnd, source=Delivery.Source.IMPORT):
    """Record every indicator of the round's cycle as delivered, as the lead department's
    import of a progress sheet does (spec/scoring.md, 未报送)."""
    deliver(
        round=rnd,
        indicator_ids=list(
            Indicator.objects.filter(cycle_id=rnd.cycle_id).values_list("pk", flat=True)
        ),
        source=source,
    )
