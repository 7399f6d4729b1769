"""close_round: the warnings and diagnosis flags it stores, idempotence, reopening."""

from decimal import Decimal as D

import pytest

from alerts.models import DiagnosisFlag, Warning
from alerts.services import (
    CloseSummary,
    NoExpectedProgress,
    NotAPreAssessment,
    close_round,
    reopen_round,
)
from assessment.models import Round
from scoring.models import Exemption, Progress
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    ProgressFactory,
    RoundFactory,
    deliver_all,
)

# Progress per indicator; None = not reported; "x" = exempt.
# e − d = 33.33 − 10 = 23.33.
#   I1: ascending 105 (20) 1, 104 2, 103 3 → bottom 103, 104, 105; 105 also behind.
#   I2: 104 not reported; 4 reported: 105 (10) 1, 103 2, 102 3 → bottom; 105 also behind.
#   I3: 3 reported (no ranking); 104 (5) behind; 103 not reported; 105 exempt.
PROGRESS = {
    "I1": {"101": "90", "102": "80", "103": "70", "104": "60", "105": "20"},
    "I2": {"101": "50", "102": "40", "103": "30", "104": None, "105": "10"},
    "I3": {"101": "50", "102": "50", "103": None, "104": "5", "105": "x"},
}
EXPECTED_REASONS = {
    ("103", "I1"): ["bottom_three"],
    ("104", "I1"): ["bottom_three"],
    ("105", "I1"): ["bottom_three", "behind_target"],
    ("102", "I2"): ["bottom_three"],
    ("103", "I2"): ["bottom_three"],
    ("104", "I2"): ["not_reported"],
    ("105", "I2"): ["bottom_three", "behind_target"],
    ("103", "I3"): ["not_reported"],
    ("104", "I3"): ["behind_target"],
}


@pytest.fixture
def april(db):
    cycle = CycleFactory(year=2025)
    counties = {code: CountyFactory(code=code) for code in ("101", "102", "103", "104", "105")}
    cycle.counties.set(counties.values())
    rnd = RoundFactory(cycle=cycle, code="april", expected_progress=D("33.33"))
    indicators = {}
    for order, (code, by_county) in enumerate(PROGRESS.items()):
        ind = IndicatorFactory(cycle=cycle, code=code, order=order)
        indicators[code] = ind
        for county_code, value in by_county.items():
            if value == "x":
                Exemption.objects.create(cycle=cycle, county=counties[county_code], indicator=ind)
            elif value is not None:
                ProgressFactory(
                    round=rnd, indicator=ind, county=counties[county_code], value=D(value)
                )
    deliver_all(rnd)
    return {"round": rnd, "counties": counties, "indicators": indicators}


def current(rnd):
    return {
        (w.county.code, w.indicator.code): w
        for w in Warning.objects.filter(round=rnd, replaced_at__isnull=True).select_related(
            "county", "indicator"
        )
    }


def current_flags(rnd):
    return {
        f.county.code: f
        for f in DiagnosisFlag.objects.filter(round=rnd, replaced_at__isnull=True).select_related(
            "county"
        )
    }


def set_progress(april, county, indicator, value):
    Progress.objects.update_or_create(
        round=april["round"],
        cycle=april["round"].cycle,
        county=april["counties"][county],
        indicator=april["indicators"][indicator],
        defaults={"value": D(value)},
    )


def test_close_round_issues_one_warning_per_pair_with_every_reason(april):
    summary = close_round(round=april["round"])
    warnings = current(april["round"])
    assert {key: w.reasons for key, w in warnings.items()} == EXPECTED_REASONS
    assert summary == CloseSummary(warnings=9, created=9, replaced=0, flagged=2)


def test_close_round_stores_figures(april):
    close_round(round=april["round"])
    warnings = current(april["round"])
    w = warnings[("105", "I1")]
    assert (w.progress, w.place, w.reported, w.expected) == (D("20"), 5, 5, D("33.33"))
    assert w.gap == D("13.33")
    w = warnings[("104", "I2")]
    assert (w.progress, w.place, w.reported, w.gap) == (None, None, 4, None)
    assert w.status == Warning.Status.ISSUED


def test_close_round_sets_status_closed(april):
    close_round(round=april["round"])
    assert april["round"].status == Round.Status.CLOSED
    assert april["round"].closed_at is not None


def test_close_round_flags_diagnosis(april):
    close_round(round=april["round"])
    # 103 and 104 have warnings on all 3 indicators; 105 on 2 (exempt from I3); 102 on 1.
    assert {c: f.warning_count for c, f in current_flags(april["round"]).items()} == {
        "103": 3,
        "104": 3,
    }


def test_close_round_flags_at_lower_threshold(april):
    Round.objects.filter(pk=april["round"].pk).update(diagnosis_threshold=2)
    close_round(round=april["round"])
    assert {c: f.warning_count for c, f in current_flags(april["round"]).items()} == {
        "103": 3,
        "104": 3,
        "105": 2,
    }


def test_close_round_twice_same_warnings_no_duplicates(april):
    close_round(round=april["round"])
    first = {key: w.pk for key, w in current(april["round"]).items()}
    flags = {c: f.pk for c, f in current_flags(april["round"]).items()}
    closed_at = april["round"].closed_at
    summary = close_round(round=april["round"])
    assert summary == CloseSummary(warnings=9, created=0, replaced=0, flagged=2)
    assert {key: w.pk for key, w in current(april["round"]).items()} == first
    assert {c: f.pk for c, f in current_flags(april["round"]).items()} == flags
    assert Warning.objects.count() == 9
    assert DiagnosisFlag.objects.count() == 2
    assert april["round"].closed_at == closed_at


def test_close_round_after_reopen_without_change_keeps_warnings(april):
    close_round(round=april["round"])
    first = {key: w.pk for key, w in current(april["round"]).items()}
    reopen_round(round=april["round"], reason="补报数据")
    assert april["round"].status == Round.Status.OPEN
    close_round(round=april["round"])
    assert {key: w.pk for key, w in current(april["round"]).items()} == first
    assert Warning.objects.filter(replaced_at__isnull=False).count() == 0


def test_close_round_after_change_replaces_warnings(april):
    close_round(round=april["round"])
    before = current(april["round"])
    before[("105", "I1")].status = Warning.Status.READ
    before[("105", "I1")].save(update_fields=["status"])
    reopen_round(round=april["round"], reason="105 更正 I1 进度")
    # 105 now leads I1: ascending 104 (60) 1, 103 2, 102 3 → bottom 102, 103, 104.
    set_progress(april, "105", "I1", "95")
    summary = close_round(round=april["round"])

    after = current(april["round"])
    assert {key: w.reasons for key, w in after.items()} == {
        **{k: v for k, v in EXPECTED_REASONS.items() if k != ("105", "I1")},
        ("102", "I1"): ["bottom_three"],
    }
    # On I1 the old warnings are replaced (105 no longer warned, 103 and 104 moved place),
    # kept in the history with their status; I2 and I3 are unchanged and keep their rows.
    old_i1 = [before[k] for k in (("103", "I1"), ("104", "I1"), ("105", "I1"))]
    for w in old_i1:
        w.refresh_from_db()
        assert w.replaced_at is not None
    assert old_i1[2].status == Warning.Status.READ
    assert (after[("103", "I1")].place, after[("104", "I1")].place) == (4, 5)
    for key in EXPECTED_REASONS:
        if key[1] != "I1":
            assert after[key].pk == before[key].pk
            assert after[key].replaced_at is None
    assert summary == CloseSummary(warnings=9, created=3, replaced=3, flagged=2)
    assert Warning.objects.filter(round=april["round"]).count() == 12


def test_close_round_after_change_replaces_diagnosis_flags(april):
    close_round(round=april["round"])
    flags = current_flags(april["round"])
    reopen_round(round=april["round"], reason="104 补报 I2")
    # 104 reports 50 on I2: ascending 105 1, 103 2, 102 3 → 104 no longer warned on I2.
    set_progress(april, "104", "I2", "50")
    close_round(round=april["round"])
    assert {c: f.warning_count for c, f in current_flags(april["round"]).items()} == {"103": 3}
    assert current_flags(april["round"])["103"].pk == flags["103"].pk
    flags["104"].refresh_from_db()
    assert flags["104"].replaced_at is not None
    assert ("104", "I2") not in current(april["round"])


def test_close_round_after_expected_progress_changed(april):
    close_round(round=april["round"])
    reopen_round(round=april["round"], reason="调整序时进度")
    Round.objects.filter(pk=april["round"].pk).update(expected_progress=D("30"))
    close_round(round=april["round"])
    # e − d = 20: 105 at 20 on I1 is no longer behind; 104 at 5 on I3 still is.
    warnings = current(april["round"])
    assert warnings[("105", "I1")].reasons == ["bottom_three"]
    assert {w.expected for w in warnings.values()} == {D("30.00")}
    assert warnings[("104", "I3")].gap == D("25")


def test_close_round_refuses_annual_round(april):
    annual = RoundFactory(
        cycle=april["round"].cycle, code="annual", kind=Round.Kind.ANNUAL, expected_progress=None
    )
    with pytest.raises(NotAPreAssessment):
        close_round(round=annual)
    assert Warning.objects.count() == 0


def test_close_round_blank_expected_progress_uses_default_of_the_round(april):
    # spec defaults: april 33.33; the 105 at 20 on I1 is behind 23.33.
    Round.objects.filter(pk=april["round"].pk).update(expected_progress=None)
    april["round"].refresh_from_db()
    close_round(round=april["round"])
    warnings = current(april["round"])
    assert {key: w.reasons for key, w in warnings.items()} == EXPECTED_REASONS
    assert {w.expected for w in warnings.values()} == {D("33.33")}


def test_close_round_blank_expected_progress_august_default(db):
    cycle = CycleFactory(year=2026)
    county = CountyFactory(code="101")
    cycle.counties.set([county])
    rnd = RoundFactory(cycle=cycle, code="august", expected_progress=None)
    ind = IndicatorFactory(cycle=cycle, code="I1")
    # 66.67 − 10 = 56.67
    ProgressFactory(round=rnd, indicator=ind, county=county, value=D("56.66"))
    deliver_all(rnd)
    close_round(round=rnd)
    w = Warning.objects.get(round=rnd)
    assert (w.reasons, w.expected) == (["behind_target"], D("66.67"))


def test_close_round_blank_expected_progress_without_default_refused(db):
    rnd = RoundFactory(code="october", expected_progress=None)
    with pytest.raises(NoExpectedProgress):
        close_round(round=rnd)
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.OPEN
