"""compute_results: what it stores, what it keeps, what it refuses, how many queries it runs."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessment.models import Adjustment, Cycle, Veto
from scoring.models import (
    AnnualInput,
    CountyResult,
    Exemption,
    IndicatorResult,
    IndicatorStat,
    ItemScore,
)
from scoring.results.services import MissingInput, ResultsRefused, compute_results
from tests.factories import (
    AnnualInputFactory,
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RuleItemFactory,
)


@pytest.fixture
def appraisal(db, unit, other_unit):
    """Four counties, two indicators (three items), an exemption, adjustments and a veto.

    Expected figures, by hand (T = 100):
    I01 (60 points, higher): K1 60 % ratio cap 120, K2 40 % manual.
      101: K1 110/100 → 110, K2 80 → S = 66 + 32 = 98 → P = 58.8
      102: K1 90 → 90,  K2 70 → S = 54 + 28 = 82 → P = 49.2
      103: K1 100 → 100, K2 100 → S = 100 → P = 60
      104: K1 50 → 50, K2 50 → S = 50 → P = 30
    I02 (40 points, lower): K3 100 % rank (step 5); 104 exempt.
      102: 1 → rank 1 → 100 → P = 40; 101 and 103: 3 → rank 2 → 95 → P = 38
      104: imputed 40 × 30 / 60 = 20
    Adjustments: 101 +1.5; 102 −1 −1 = −2. Veto: 103.
    Totals: 101 98.30, 103 98.00, 102 87.20, 104 50.00 → ranks 1, 2, 3, 4.
    Grades: q = floor(0.3 × 4) = 1 → 101 excellent; 103 vetoed → poor; 102 good; 104 poor.
    """
    cycle = CycleFactory(year=2024)
    counties = {
        code: CountyFactory(code=code, name=name)
        for code, name in [
            ("101", "东城区"),
            ("102", "西城区"),
            ("103", "南城区"),
            ("104", "北城区"),
        ]
    }
    cycle.counties.set(counties.values())
    i01 = IndicatorFactory(cycle=cycle, code="I01", name="地区生产总值", weight=D("60"), unit=unit)
    i02 = IndicatorFactory(
        cycle=cycle,
        code="I02",
        name="安全生产事故",
        weight=D("40"),
        unit=other_unit,
        direction="lower",
        order=1,
    )
    k1 = RuleItemFactory(
        indicator=i01, code="K1", name="增速", share=D("60"), method="ratio", params="cap=120"
    )
    k2 = RuleItemFactory(indicator=i01, code="K2", name="质量", share=D("40"), order=1)
    k3 = RuleItemFactory(indicator=i02, code="K3", name="事故数", method="rank")
    for code, (a1, a2, a3) in {
        "101": ("110", "80", "3"),
        "102": ("90", "70", "1"),
        "103": ("100", "100", "3"),
        "104": ("50", "50", None),
    }.items():
        AnnualInputFactory(item=k1, county=counties[code], actual=D(a1), target=D("100"))
        AnnualInputFactory(item=k2, county=counties[code], actual=D(a2))
        if a3 is not None:
            AnnualInputFactory(item=k3, county=counties[code], actual=D(a3))
    Exemption.objects.create(cycle=cycle, county=counties["104"], indicator=i02)
    Adjustment.objects.create(cycle=cycle, county=counties["101"], points=D("1.5"), reason="加分")
    Adjustment.objects.create(cycle=cycle, county=counties["102"], points=D("-1"), reason="扣分")
    Adjustment.objects.create(cycle=cycle, county=counties["102"], points=D("-1"), reason="扣分")
    Veto.objects.create(cycle=cycle, county=counties["103"], reason="重大事故")
    return {"cycle": cycle, "counties": counties, "indicators": (i01, i02), "items": (k1, k2, k3)}


def county_rows(cycle):
    return {
        r.county.code: (
            r.indicator_points,
            r.adjustment,
            r.total,
            r.rank,
            r.vetoed,
            r.computed_grade,
        )
        for r in CountyResult.objects.filter(cycle=cycle).select_related("county")
    }


def test_compute_results_stores_county_results(appraisal):
    compute_results(cycle=appraisal["cycle"])
    assert county_rows(appraisal["cycle"]) == {
        "101": (D("96.80"), D("1.50"), D("98.30"), 1, False, "excellent"),
        "103": (D("98.00"), D("0.00"), D("98.00"), 2, True, "poor"),
        "102": (D("89.20"), D("-2.00"), D("87.20"), 3, False, "good"),
        "104": (D("50.00"), D("0.00"), D("50.00"), 4, False, "poor"),
    }
    appraisal["cycle"].refresh_from_db()
    assert appraisal["cycle"].results_computed_at is not None


def test_compute_results_stores_indicator_results(appraisal):
    compute_results(cycle=appraisal["cycle"])
    rows = {
        (r.county.code, r.indicator.code): (r.percent, r.points, r.exempt, r.rank)
        for r in IndicatorResult.objects.select_related("county", "indicator")
    }
    assert rows == {
        ("101", "I01"): (D("98.0000"), D("58.80"), False, 2),
        ("102", "I01"): (D("82.0000"), D("49.20"), False, 3),
        ("103", "I01"): (D("100.0000"), D("60.00"), False, 1),
        ("104", "I01"): (D("50.0000"), D("30.00"), False, 4),
        ("101", "I02"): (D("95.0000"), D("38.00"), False, 2),
        ("102", "I02"): (D("100.0000"), D("40.00"), False, 1),
        ("103", "I02"): (D("95.0000"), D("38.00"), False, 2),
        # exempt: imputed 20 points of 40 = the county's own 50 % on I01
        ("104", "I02"): (D("50.0000"), D("20.00"), True, None),
    }


def test_compute_results_stores_item_scores(appraisal):
    compute_results(cycle=appraisal["cycle"])
    rows = {
        (s.county.code, s.item.code): s.score
        for s in ItemScore.objects.select_related("county", "item")
    }
    assert rows == {
        ("101", "K1"): D("110"),
        ("102", "K1"): D("90"),
        ("103", "K1"): D("100"),
        ("104", "K1"): D("50"),
        ("101", "K2"): D("80"),
        ("102", "K2"): D("70"),
        ("103", "K2"): D("100"),
        ("104", "K2"): D("50"),
        ("101", "K3"): D("95"),
        ("102", "K3"): D("100"),
        ("103", "K3"): D("95"),
    }


def test_compute_results_stores_indicator_stats(appraisal):
    compute_results(cycle=appraisal["cycle"])
    rows = {
        s.indicator.code: (s.highest, s.lowest, s.average, s.top, s.bottom)
        for s in IndicatorStat.objects.select_related("indicator")
    }
    assert rows == {
        # (58.8 + 49.2 + 60 + 30) / 4 = 49.5
        "I01": (
            D("60.00"),
            D("30.00"),
            D("49.50"),
            ["103", "101", "102"],
            ["104", "102", "101"],
        ),
        # 104 exempt; (38 + 40 + 38) / 3 = 38.666… → 38.67
        "I02": (
            D("40.00"),
            D("38.00"),
            D("38.67"),
            ["102", "101", "103"],
            ["101", "103", "102"],
        ),
    }


def test_compute_results_returns_engine_result(appraisal):
    result = compute_results(cycle=appraisal["cycle"])
    assert result.total == {
        "101": D("98.30"),
        "102": D("87.20"),
        "103": D("98.00"),
        "104": D("50.00"),
    }


def test_compute_results_keeps_grade_override(appraisal, lead):
    cycle = appraisal["cycle"]
    compute_results(cycle=cycle)
    CountyResult.objects.filter(cycle=cycle, county__code="101").update(
        grade_override="good", override_reason="经考核委员会审议", override_by=lead
    )
    AnnualInput.objects.filter(county__code="101", item__code="K2").update(actual=D("90"))
    compute_results(cycle=cycle)
    row = CountyResult.objects.get(cycle=cycle, county__code="101")
    # K2 now 90: S = 66 + 36 = 102 → P = 61.2; total 61.2 + 38 + 1.5 = 100.70
    assert (row.total, row.computed_grade) == (D("100.70"), "excellent")
    assert (row.grade_override, row.override_reason, row.override_by) == (
        "good",
        "经考核委员会审议",
        lead,
    )
    assert row.grade == "good"
    assert CountyResult.objects.filter(cycle=cycle).count() == 4


def test_compute_results_recompute_replaces_rows(appraisal):
    cycle = appraisal["cycle"]
    compute_results(cycle=cycle)
    compute_results(cycle=cycle)
    assert ItemScore.objects.filter(cycle=cycle).count() == 11
    assert IndicatorResult.objects.filter(cycle=cycle).count() == 8
    assert IndicatorStat.objects.filter(cycle=cycle).count() == 2
    assert CountyResult.objects.filter(cycle=cycle).count() == 4


def test_compute_results_drops_counties_no_longer_in_cycle(appraisal):
    cycle = appraisal["cycle"]
    compute_results(cycle=cycle)
    cycle.counties.remove(appraisal["counties"]["104"])
    compute_results(cycle=cycle)
    assert sorted(county_rows(cycle)) == ["101", "102", "103"]
    # Without 104, q = floor(0.3 × 3) = 0: 101 is good, no longer excellent.
    assert county_rows(cycle)["101"][5] == "good"


# --- refusal ---------------------------------------------------------------------------------


def break_inputs(appraisal):
    AnnualInput.objects.filter(county__code="101", item__code="K1").update(target=None)
    AnnualInput.objects.filter(county__code="102", item__code="K2").update(actual=None)
    AnnualInput.objects.filter(county__code="103", item__code="K3").delete()


def test_compute_results_refuses_and_lists_missing_inputs(appraisal):
    break_inputs(appraisal)
    with pytest.raises(ResultsRefused) as info:
        compute_results(cycle=appraisal["cycle"])
    assert info.value.problems == [
        MissingInput(
            county_code="101",
            county_name="东城区",
            indicator_code="I01",
            indicator_name="地区生产总值",
            item_code="K1",
            item_name="增速",
            unit_code="TJJ",
            unit_name="市统计局",
            problem="missing_target",
        ),
        MissingInput(
            county_code="102",
            county_name="西城区",
            indicator_code="I01",
            indicator_name="地区生产总值",
            item_code="K2",
            item_name="质量",
            unit_code="TJJ",
            unit_name="市统计局",
            problem="missing_actual",
        ),
        MissingInput(
            county_code="103",
            county_name="南城区",
            indicator_code="I02",
            indicator_name="安全生产事故",
            item_code="K3",
            item_name="事故数",
            unit_code="CZJ",
            unit_name="市财政局",
            problem="missing_actual",
        ),
    ]


def test_compute_results_refusal_message_names_everything(appraisal):
    AnnualInput.objects.filter(county__code="102", item__code="K2").update(actual=None)
    with pytest.raises(ResultsRefused) as info:
        compute_results(cycle=appraisal["cycle"])
    message = str(info.value)
    for name in ("102", "西城区", "I01", "地区生产总值", "K2", "质量", "TJJ", "市统计局"):
        assert name in message


def test_compute_results_refusal_writes_nothing(appraisal):
    break_inputs(appraisal)
    with pytest.raises(ResultsRefused):
        compute_results(cycle=appraisal["cycle"])
    assert CountyResult.objects.count() == 0
    assert IndicatorResult.objects.count() == 0
    assert ItemScore.objects.count() == 0
    assert IndicatorStat.objects.count() == 0
    appraisal["cycle"].refresh_from_db()
    assert appraisal["cycle"].results_computed_at is None


def test_compute_results_refusal_keeps_previous_results(appraisal):
    cycle = appraisal["cycle"]
    compute_results(cycle=cycle)
    before = county_rows(cycle)
    computed_at = Cycle.objects.get(pk=cycle.pk).results_computed_at
    break_inputs(appraisal)
    with pytest.raises(ResultsRefused):
        compute_results(cycle=cycle)
    assert county_rows(cycle) == before
    assert ItemScore.objects.filter(cycle=cycle).count() == 11
    assert Cycle.objects.get(pk=cycle.pk).results_computed_at == computed_at


def test_compute_results_exempt_pair_needs_no_input(appraisal):
    # 104 has no K3 row at all and is exempt from I02: nothing is missing.
    assert not AnnualInput.objects.filter(county__code="104", item__code="K3").exists()
    compute_results(cycle=appraisal["cycle"])
    assert CountyResult.objects.count() == 4


def test_compute_results_refuses_county_exempt_from_everything(appraisal):
    i01, _i02 = appraisal["indicators"]
    Exemption.objects.create(
        cycle=appraisal["cycle"], county=appraisal["counties"]["104"], indicator=i01
    )
    with translation.override("en"), pytest.raises(ResultsRefused) as info:
        compute_results(cycle=appraisal["cycle"])
    assert info.value.problems == ["county 104 北城区 is exempt from every indicator"]
    assert CountyResult.objects.count() == 0


# --- queries ---------------------------------------------------------------------------------


def build_cycle(year, n_counties, unit):
    cycle = CycleFactory(year=year)
    counties = [CountyFactory(code=f"{year}-{n:02d}") for n in range(n_counties)]
    cycle.counties.set(counties)
    for position, method in enumerate(["ratio", "rank"]):
        ind = IndicatorFactory(cycle=cycle, code=f"{year}-I{position}", weight=D("50"), unit=unit)
        item = RuleItemFactory(indicator=ind, code=f"{year}-K{position}", method=method)
        for n, county in enumerate(counties):
            AnnualInputFactory(item=item, county=county, actual=D(50 + n), target=D("100"))
    Exemption.objects.create(cycle=cycle, county=counties[0], indicator=ind)
    Adjustment.objects.create(cycle=cycle, county=counties[1], points=D("1"), reason="加分")
    Veto.objects.create(cycle=cycle, county=counties[2], reason="否决")
    return cycle


def test_compute_results_constant_number_of_queries(db, unit):
    small, large = build_cycle(2030, 3, unit), build_cycle(2031, 6, unit)
    # First runs warm the caches (content types) and create the rows the reruns update.
    compute_results(cycle=small)
    compute_results(cycle=large)
    counts = []
    for cycle in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            compute_results(cycle=cycle)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert CountyResult.objects.filter(cycle=large).count() == 6


def test_compute_results_first_run_constant_number_of_queries(db, unit):
    compute_results(cycle=build_cycle(2029, 3, unit))  # warm the caches
    small, large = build_cycle(2030, 3, unit), build_cycle(2031, 6, unit)
    counts = []
    for cycle in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            compute_results(cycle=cycle)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_compute_results_stored_rates_round_half_up(db, unit):
    # Rates are stored with 4 decimals, rounded half up like every figure of the spec:
    # 87.12345 → 87.1235 (half-even would store 87.1234).
    cycle = CycleFactory(year=2032)
    county = CountyFactory(code="201")
    cycle.counties.set([county])
    ind = IndicatorFactory(cycle=cycle, code="J1", weight=D("100"), unit=unit)
    item = RuleItemFactory(indicator=ind, code="J1-K1", method="manual")
    AnnualInputFactory(item=item, county=county, actual=D("87.12345"))
    compute_results(cycle=cycle)
    assert ItemScore.objects.get(cycle=cycle).score == D("87.1235")
    row = IndicatorResult.objects.get(cycle=cycle)
    assert (row.percent, row.points) == (D("87.1235"), D("87.12"))


def test_compute_results_refuses_rule_made_invalid_after_saving(db, unit):
    # Tiers saved for a higher-is-better indicator stop being monotone when the indicator
    # is turned into lower-is-better: the computation refuses instead of failing.
    cycle = CycleFactory(year=2033)
    county = CountyFactory(code="301", name="新区")
    cycle.counties.set([county])
    ind = IndicatorFactory(cycle=cycle, code="T1", name="达标率", weight=D("100"), unit=unit)
    item = RuleItemFactory(
        indicator=ind, code="T1-K1", name="分档", method="tiers", params="tiers=95:100,0:60"
    )
    AnnualInputFactory(item=item, county=county, actual=D("96"))
    ind.direction = "lower"
    ind.save()
    with translation.override("en"), pytest.raises(ResultsRefused) as info:
        compute_results(cycle=cycle)
    assert info.value.problems == [
        "indicator T1 达标率, item T1-K1 分档: tiers are not monotone for a lower-is-better "
        "indicator: 95:100 then 0:60"
    ]
    assert CountyResult.objects.filter(cycle=cycle).count() == 0
