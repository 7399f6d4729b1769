from django.core.files.base import ContentFile

from alerts.models import DiagnosisCase, DiagnosisFlag, Rectification
from assessment.models import Round
from indicators.models import Indicator
from tests.access import access, lead_only, signed_in
from tests.factories import RectificationFactory, RoundFactory, WarningFactory

LEADS = {"unit": 403, "county": 403}  # lead-only pages naming a county or a round
COUNTY_ONLY = {"unit": 403, "county": 404}  # a county's steps on the other county's objects
HIDDEN = {"unit": 404, "county": 404}  # the other unit's and county's objects

ACCESS = {
    "alerts:rounds": lead_only(),
    "alerts:round_add": lead_only(),
    "alerts:round_summary": lead_only(outsider=LEADS),
    "alerts:round_edit": lead_only(outsider=LEADS),
    "alerts:round_open": lead_only("post", lead=302, outsider=LEADS),
    "alerts:round_close": lead_only(outsider=LEADS),
    "alerts:round_reopen": lead_only(outsider=LEADS),
    "alerts:round_warnings_xlsx": lead_only(outsider=LEADS),
    "alerts:case_open": lead_only("post", lead=302, outsider=LEADS),
    "alerts:inbox": signed_in(),
    "alerts:warning": signed_in(outsider=HIDDEN),
    # Posting an empty form re-shows the page with the errors.
    "alerts:warning_plan": access("post", lead=403, unit=403, county=200, outsider=COUNTY_ONLY),
    "alerts:rectifications": signed_in(),
    "alerts:rectification": signed_in(outsider=HIDDEN),
    "alerts:rectification_revise": access(
        "post", lead=403, unit=403, county=200, outsider=COUNTY_ONLY
    ),
    "alerts:rectification_complete": access(
        "post", lead=403, unit=403, county=200, outsider=COUNTY_ONLY
    ),
    "alerts:rectification_review": lead_only("post", outsider=LEADS),
    "alerts:rectification_evidence": signed_in(outsider=HIDDEN),
    # The unit persona is an expert of its county's case, not of the other one.
    "alerts:case": signed_in(outsider=HIDDEN),
    "alerts:case_update": lead_only("post", lead=302, outsider=LEADS),
    "alerts:case_send": lead_only("post", lead=302, outsider=LEADS),
    "alerts:case_plan": access("post", lead=403, unit=403, county=200, outsider=COUNTY_ONLY),
}


def objects(world):
    """A closed April round with a warning, a rectification (with evidence) and a diagnosis
    case for the persona county 101 (on A01 of the unit TJJ) and the other county 102 (A02
    of CZJ)."""
    cycle = world["cycle"]
    april = RoundFactory(cycle=cycle, status=Round.Status.CLOSED)
    Round.objects.filter(pk=april.pk).update(closed_at="2024-04-30T10:00:00Z")
    unit_user = world["users"]["unit"]
    found = {}
    for scope, indicator_code in (("own", "A01"), ("other", "A02")):
        county = cycle.counties.get(code=world[scope]["county"])
        indicator = Indicator.objects.get(cycle=cycle, code=indicator_code)
        warning = WarningFactory(round=april, county=county, indicator=indicator)
        rect = RectificationFactory(warning=warning, status=Rectification.Status.SUBMITTED)
        rect.evidence_name = "evidence.pdf"
        rect.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        DiagnosisFlag.objects.create(cycle=cycle, round=april, county=county, warning_count=3)
        case = DiagnosisCase.objects.create(
            cycle=cycle, round=april, county=county, status=DiagnosisCase.Status.SENT,
            recommendations="加强调度。",
        )  # fmt: skip
        if scope == "own":
            case.experts.add(unit_user)
        found[scope] = {
            "round": april.code,
            "warning": warning.pk,
            "rectification": rect.pk,
            "case": case.pk,
        }
    return found
