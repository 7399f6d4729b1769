from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from alerts.models import Warning
from assessment.models import Adjustment, County, Cycle, Round, Unit, User, Veto
from demo.plan import LATE_UNIT_AUGUST, MISSING_APRIL
from indicators.models import Indicator, Method, RuleItem
from indicators.params import parse_params
from reports.models import Objection, Publication
from scoring.models import AnnualInput, CountyResult, Exemption, Progress

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as exc:
        seed()
    assert str(exc.value) == (
        "seed_demo writes invented data and replaces the cycles 2023–2027; it runs only with "
        "DEBUG on. Pass --force to run it anyway."
    )
    assert Cycle.objects.count() == 0
    assert User.objects.count() == 0


def test_seed_demo_builds_the_demo_city_with_force(settings, client):
    settings.DEBUG = False
    output = seed("--force", "--password", "jc-demo-2026")

    assert County.objects.count() == 14
    assert Unit.objects.count() == 12
    cycles = {c.year: c for c in Cycle.objects.all()}
    assert sorted(cycles) == [2023, 2024, 2025, 2026, 2027]
    assert [cycles[y].status for y in (2023, 2024, 2025, 2026, 2027)] == [
        "archived",
        "archived",
        "archived",
        "active",
        "draft",
    ]
    cycles.pop(2027)  # next year's draft: tests/demo/test_demo_governance.py

    # Past years published (the last one corrected by an upheld objection), this year not.
    published = {p.cycle.year: p for p in Publication.objects.filter(published=True)}
    assert sorted(published) == [2023, 2024, 2025]
    assert published[2025].corrected_at is not None
    overridden = CountyResult.objects.exclude(grade_override="").get()
    assert (overridden.cycle.year, overridden.county.code, overridden.grade) == (
        2025,
        "112",
        "good",
    )
    assert overridden.override_reason.startswith("在防汛抢险")
    objections = {(o.county.code, o.status) for o in Objection.objects.all()}
    assert objections == {("106", "upheld"), ("110", "rejected")}

    # The indicator system of every year: weights sum to the total, shares to 100, valid rules.
    for cycle in cycles.values():
        assert cycle.counties.count() == 14
        indicators = list(Indicator.objects.filter(cycle=cycle).select_related("unit"))
        assert 35 <= len(indicators) <= 45
        assert sum(i.weight for i in indicators) == Decimal("100")
        assert {i.rules_status for i in indicators} == {"approved"}
        assert {i.direction for i in indicators} == {"higher", "lower"}
        items = list(RuleItem.objects.filter(cycle=cycle).select_related("indicator"))
        assert {item.method for item in items} == set(Method.values)
        shares = defaultdict(Decimal)
        for item in items:
            shares[item.indicator.code] += item.share
            parse_params(item.method, item.params, item.indicator.direction)
        assert set(shares.values()) == {Decimal("100")}
        per_indicator = defaultdict(int)
        for item in items:
            per_indicator[item.indicator_id] += 1
        assert set(per_indicator.values()) <= {1, 2, 3}
        assert Exemption.objects.filter(cycle=cycle).count() == 3
        rounds = {r.code: (r.kind, r.name, r.status) for r in cycle.rounds.all()}
        assert set(rounds) == {"annual", "april", "august"}
        assert rounds["annual"][:2] == ("annual", "年度考核")
        assert rounds["april"][:2] == ("pre", "4月预考核")
        assert rounds["august"][:2] == ("pre", "8月预考核")

    # The past years: complete, closed and computed; ranks follow the totals.
    ranks_by_year = {}
    for year in (2023, 2024, 2025):
        cycle = cycles[year]
        assert set(cycle.rounds.values_list("status", flat=True)) == {"closed"}
        assert not AnnualInput.objects.filter(cycle=cycle, actual__isnull=True).exists()
        results = list(CountyResult.objects.filter(cycle=cycle).select_related("county"))
        assert len(results) == 14
        totals = [r.total for r in results]
        for r in results:
            assert r.rank == 1 + sum(1 for t in totals if t > r.total)
        assert min(r.rank for r in results) == 1
        assert max(r.rank for r in results) == 14
        assert len([r for r in results if r.computed_grade == "excellent"]) <= 4
        ranks_by_year[year] = {r.county.code: r.rank for r in results}
        for code in ("april", "august"):
            assert Warning.objects.filter(round__cycle=cycle, round__code=code).exists()
    assert ranks_by_year[2023] != ranks_by_year[2024] != ranks_by_year[2025]
    veto = Veto.objects.get()
    assert veto.cycle.year == 2024
    vetoed = CountyResult.objects.get(cycle=veto.cycle, county=veto.county)
    assert (vetoed.vetoed, vetoed.computed_grade) == (True, "poor")
    points = list(Adjustment.objects.values_list("points", flat=True))
    assert min(points) < 0 < max(points)
    # Negative growth is scored (spec/scoring.md): some county's investment fell.
    fell = AnnualInput.objects.filter(item__name="固定资产投资增速（%）", actual__lt=0)
    assert fell.filter(cycle__county_results__isnull=False).exists()

    # The current year: targets set, actuals empty, April closed with warnings, August open.
    current = cycles[2026]
    inputs = AnnualInput.objects.filter(cycle=current)
    assert inputs.exists()
    assert not inputs.filter(actual__isnull=False).exists()
    assert not inputs.filter(target__isnull=True).exists()
    assert not current.county_results.exists()
    rounds = {r.code: r for r in current.rounds.all()}
    assert rounds["annual"].status == Round.Status.PENDING
    assert rounds["april"].status == Round.Status.CLOSED
    assert rounds["august"].status == Round.Status.OPEN
    april_warnings = Warning.objects.filter(round=rounds["april"], replaced_at__isnull=True)
    assert sorted(
        april_warnings.filter(not_reported=True).values_list("county__code", "indicator__code")
    ) == sorted(MISSING_APRIL)
    assert april_warnings.filter(bottom_three=True).exists()
    assert april_warnings.filter(behind_target=True).exists()
    assert not Warning.objects.filter(round=rounds["august"]).exists()
    applicable = 14 * Indicator.objects.filter(cycle=current).count() - 3
    august = Progress.objects.filter(round=rounds["august"])
    assert 0 < august.count() < applicable
    assert not august.filter(indicator__unit__code=LATE_UNIT_AUGUST).exists()

    # The accounts, bound to their unit or county, all with the given password.
    lead = User.objects.get(username="lead")
    assert (lead.role, lead.is_staff, lead.is_superuser) == ("lead", True, True)
    for unit in Unit.objects.all():
        assert User.objects.get(username=f"unit-{unit.code}").unit == unit
    for county in County.objects.all():
        assert User.objects.get(username=f"county-{county.code}").county == county
    assert User.objects.count() == 1 + 12 + 14
    assert client.login(username="lead", password="jc-demo-2026")
    assert client.login(username="unit-TJJ", password="jc-demo-2026")
    assert client.login(username="county-101", password="jc-demo-2026")
    assert not client.login(username="county-101", password="demo1234")

    lines = output.splitlines()
    assert "username    role              bound to" in lines
    assert "unit-TJJ    Responsible unit  TJJ 市统计局" in lines
    assert "county-114  County            114 云渡市" in lines
    assert lines[-7:-3] == [
        "Every account above has the password jc-demo-2026.",
        "",
        "Data interface tokens (shown only now; the lead department revokes them on /api/tokens/):",
        "username    purpose             token",
    ]
    assert [line.split()[:2] for line in lines[-3:]] == [
        ["lead", "演示：省级考核平台"],
        ["unit-CZJ", "演示：单位业务系统"],
        ["county-101", "演示：县区查询"],
    ]


def test_seed_demo_rerun_rebuilds_the_same_city(settings):
    settings.DEBUG = True
    first = seed()
    totals = list(
        CountyResult.objects.order_by("cycle__year", "county__code").values_list(
            "cycle__year", "county__code", "total", "rank", "computed_grade"
        )
    )
    warnings = Warning.objects.count()

    again = seed()

    assert not first.startswith("Deleted")
    assert again.splitlines()[0] == (
        "Deleted the existing cycles 2023, 2024, 2025, 2026, 2027 and built them again."
    )
    assert Cycle.objects.count() == 5
    assert County.objects.count() == 14
    assert User.objects.count() == 27
    assert Warning.objects.count() == warnings
    assert (
        list(
            CountyResult.objects.order_by("cycle__year", "county__code").values_list(
                "cycle__year", "county__code", "total", "rank", "computed_grade"
            )
        )
        == totals
    )
    assert User.objects.get(username="county-101").check_password("demo1234")


def test_seed_demo_follows_up_the_current_april_round():
    from alerts.models import DiagnosisCase, Rectification

    seed("--force")
    april = Round.objects.get(cycle__year=2026, code="april")
    states = sorted(
        Rectification.objects.filter(cycle__year=2026, warning__isnull=False).values_list(
            "county__code", "status"
        )
    )
    assert states == [
        ("106", "submitted"), ("108", "closed"), ("108", "returned"), ("108", "submitted"),
        ("110", "planned"), ("112", "planned"), ("112", "planned"),
    ]  # fmt: skip
    case = DiagnosisCase.objects.get()
    assert (case.round, case.county.code, case.status, case.experts.count()) == (
        april, "112", "sent", 2,
    )  # fmt: skip
    assert case.rectification.status == "planned"
    # The current August round closes after today, so the daily job leaves it open.
    august = Round.objects.get(cycle__year=2026, code="august")
    assert august.closes_on > april.closes_on
    # Every warning was delivered when its round closed; only the current year's unanswered
    # ones are unread.
    assert not Warning.objects.filter(notified_at__isnull=True).exists()
    assert not Warning.objects.filter(cycle__year__lt=2026, read_at__isnull=True).exists()
