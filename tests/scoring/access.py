from assessment.models import County, Round
from indicators.models import Indicator
from scoring.models import EntryState, Evidence
from tests.access import access, get_and_post, lead_only
from tests.factories import RoundFactory

# Entry pages: the lead department any indicator, a unit its own (another unit's is 404),
# a county none.
UNIT_OWN = {"unit": 404, "county": 403}
NOT_OWNED = {"unit": 403, "county": 403}
# Round pages every role reads (each sees its own part): the round is no one's object.
NOT_OWNED_READ = {"unit": 200, "county": 200}
# A unit's own workbook of a round: the round is no one's object.
NOT_OWNED_UNIT = {"unit": 200, "county": 403}
# A county's file on a unit's indicator: the others' files are 404.
UNIT_OWN_FILE = {"unit": 404, "county": 404}

ACCESS = {
    "scoring:results": lead_only(),
    "scoring:compute_results": lead_only("post", lead=302),
    "scoring:override_grade": lead_only(outsider={"unit": 403, "county": 403}),
    # GET the upload form; POST uploads (a replace is previewed, then confirmed): posted
    # empty, the form is shown again with its errors.
    "scoring:workbook": get_and_post(lead_only(), lead_only("post")),
    "scoring:workbook_template": lead_only(),
    "scoring:workbook_export": lead_only(),
    # The world's job is a unit's export, not a replace's preview: nothing to confirm.
    "scoring:workbook_replace_confirm": lead_only("post", lead=404, outsider=NOT_OWNED),
    "scoring:entry": access(lead=200, unit=200, county=403),
    "scoring:entry_matrix": lead_only(outsider=NOT_OWNED),
    # GET lists the submitted entries, POST approves the ticked ones; posted empty, the list
    # is shown again.
    "scoring:entry_approve_many": get_and_post(
        lead_only(outsider=NOT_OWNED), lead_only("post", outsider=NOT_OWNED)
    ),
    "scoring:entry_grid": access(lead=200, unit=200, county=403, outsider=UNIT_OWN),
    "scoring:entry_approve": lead_only("post", lead=302, outsider=NOT_OWNED),
    "scoring:entry_return": lead_only("post", lead=302, outsider=NOT_OWNED),
    "scoring:entry_reopen": lead_only("post", lead=302, outsider=NOT_OWNED),
    "scoring:unit_workbook": access(lead=403, unit=200, county=403, outsider=NOT_OWNED_UNIT),
    "scoring:unit_workbook_download": access(
        lead=403, unit=200, county=403, outsider=NOT_OWNED_UNIT
    ),
    "scoring:evidence_index": access(lead=302, unit=302, county=302),
    "scoring:evidence": access(lead=200, unit=200, county=200, outsider=NOT_OWNED_READ),
    "scoring:evidence_download": access(lead=200, unit=200, county=200, outsider=UNIT_OWN_FILE),
    "scoring:evidence_delete": access(
        "post", lead=403, unit=403, county=302, outsider={"unit": 403, "county": 404}
    ),
    "scoring:history_cell": lead_only(outsider=NOT_OWNED),
    "scoring:history_indicator": lead_only(outsider=NOT_OWNED),
    "scoring:history_county": lead_only(outsider=NOT_OWNED),
    "scoring:history_user": lead_only(outsider=NOT_OWNED),
}


def objects(world):
    """The open annual round of the world's cycle, with both indicators submitted. (The
    alerts table's closed April round may be the one the URLs name: the pages answer the
    same.)"""
    cycle = world["cycle"]
    annual = RoundFactory(
        cycle=cycle, code="annual", name="年度考核", kind=Round.Kind.ANNUAL, expected_progress=None
    )
    for indicator in Indicator.objects.filter(cycle=cycle):
        EntryState.objects.create(
            cycle=cycle, round=annual, indicator=indicator, status=EntryState.Status.SUBMITTED
        )
    own = _evidence(annual, "A01", "101")
    other = _evidence(annual, "A02", "102")
    return {
        "own": {
            "round": annual.code, "username": "unit-TJJ", "evidence": own.pk
        },
        "other": {
            "round": annual.code, "username": "county-101", "evidence": other.pk
        },
    }  # fmt: skip


def _evidence(rnd, indicator, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Evidence.objects.create(
        cycle=rnd.cycle, round=rnd,
        indicator=Indicator.objects.get(cycle=rnd.cycle, code=indicator),
        county=County.objects.get(code=county), name="证明.pdf", kind="pdf", size=20,
        file=SimpleUploadedFile("证明.pdf", b"%PDF-1.7\n%%EOF\n"),
    )  # fmt: skip
