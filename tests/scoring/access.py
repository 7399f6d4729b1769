from indicators.models import Indicator
from scoring.models import EntryState
from tests.access import access, lead_only
from tests.pages import open_rounds

# Entry pages: the lead department any indicator, a unit its own (another unit's is 404),
# a county none.
UNIT_OWN = {"unit": 404, "county": 403}
NOT_OWNED = {"unit": 403, "county": 403}

ACCESS = {
    "scoring:results": lead_only(),
    "scoring:compute_results": lead_only("post", lead=302),
    "scoring:workbook": lead_only(),
    "scoring:workbook_template": lead_only(),
    "scoring:workbook_export": lead_only(),
    "scoring:entry": access(lead=200, unit=200, county=403),
    "scoring:entry_matrix": lead_only(outsider=NOT_OWNED),
    "scoring:entry_grid": access(lead=200, unit=200, county=403, outsider=UNIT_OWN),
    "scoring:entry_approve": lead_only("post", lead=302, outsider=NOT_OWNED),
    "scoring:entry_return": lead_only("post", lead=302, outsider=NOT_OWNED),
    "scoring:entry_reopen": lead_only("post", lead=302, outsider=NOT_OWNED),
    "scoring:history_cell": lead_only(outsider=NOT_OWNED),
    "scoring:history_indicator": lead_only(outsider=NOT_OWNED),
    "scoring:history_county": lead_only(outsider=NOT_OWNED),
    "scoring:history_user": lead_only(outsider=NOT_OWNED),
}


def objects(world):
    """The open annual round of the world's cycle, with both indicators submitted."""
    cycle = world["cycle"]
    annual, _april = open_rounds(cycle)
    for indicator in Indicator.objects.filter(cycle=cycle):
        EntryState.objects.create(
            cycle=cycle, round=annual, indicator=indicator, status=EntryState.Status.SUBMITTED
        )
    return {
        "own": {"round": annual.code, "username": "unit-TJJ"},
        "other": {"round": annual.code, "username": "county-101"},
    }
