"""A small computed cycle for the page tests: two indicators, manual scores, real results.

Indicator A01 (weight 60) and A02 (weight 40) are scored directly (method ``manual``), so a
county with scores (90, 80) gets 54 + 32 = 86.00 points.
"""

from decimal import Decimal

from scoring.results.services import compute_results
from tests.factories import (
    AnnualInputFactory,
    CategoryFactory,
    CycleFactory,
    IndicatorFactory,
    RuleItemFactory,
    UnitFactory,
)


def build_cycle(counties, scores, *, year=2024, units=None, compute=True):
    """A cycle of ``year`` over ``counties``; ``scores[n]`` = (A01, A02) of the n-th county.

    ``units`` = (unit of A01, unit of A02); by default two new units. A county without an
    entry in ``scores`` gets no inputs. The results are computed when ``compute``.
    """
    cycle = CycleFactory(year=year)
    cycle.counties.set(counties)
    unit_a, unit_b = units or (UnitFactory(), UnitFactory())
    category = CategoryFactory(cycle=cycle, name="经济发展")
    a01 = IndicatorFactory(
        cycle=cycle, category=category, code="A01", name="地区生产总值增速",
        weight=Decimal("60"), unit=unit_a, order=1,
    )  # fmt: skip
    a02 = IndicatorFactory(
        cycle=cycle, category=category, code="A02", name="一般公共预算收入",
        weight=Decimal("40"), unit=unit_b, order=2,
    )  # fmt: skip
    item1 = RuleItemFactory(indicator=a01, code="A01-1", name="增速得分", method="manual")
    item2 = RuleItemFactory(
        indicator=a02, code="A02-1", name="收入完成率", method="ratio", params="cap=120;floor=40"
    )
    for county, (s1, s2) in zip(counties, scores, strict=False):
        AnnualInputFactory(item=item1, county=county, actual=Decimal(s1))
        AnnualInputFactory(item=item2, county=county, actual=Decimal(s2), target=Decimal(100))
    if compute:
        compute_results(cycle=cycle)
        cycle.refresh_from_db()
    return cycle


def build_manual_cycle(counties, indicator_count, *, year=2024, unit=None):
    """A computed cycle of ``year`` with ``indicator_count`` directly scored indicators
    (I01, I02, …; 10 points each, one rule item each, all of ``unit``) in one category.

    The county at index n of ``counties`` scores 90 - n on every indicator. For the
    query-count tests, which compare a page at one and at three indicators.
    """
    cycle = CycleFactory(year=year, total_points=Decimal(10 * indicator_count))
    cycle.counties.set(counties)
    unit = unit or UnitFactory()
    category = CategoryFactory(cycle=cycle, name="经济发展")
    for n in range(1, indicator_count + 1):
        indicator = IndicatorFactory(
            cycle=cycle, category=category, code=f"I{n:02d}", weight=Decimal(10), unit=unit,
            order=n,
        )  # fmt: skip
        item = RuleItemFactory(indicator=indicator, code=f"I{n:02d}-1", method="manual")
        for rank, county in enumerate(counties):
            AnnualInputFactory(item=item, county=county, actual=Decimal(90 - rank))
    compute_results(cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def open_rounds(cycle):
    """The annual round and the April pre-assessment of ``cycle``, both open: (annual, april)."""
    from assessment.models import Round
    from tests.factories import RoundFactory

    annual = RoundFactory(
        cycle=cycle, code="annual", name="年度考核", kind=Round.Kind.ANNUAL, expected_progress=None
    )
    april = RoundFactory(cycle=cycle, code="april", name="4月预考核")
    return annual, april
