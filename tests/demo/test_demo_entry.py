"""The demo city's entry states in the current year: believable, and consistent with what
the units could have done in the browser."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from demo.plan import AUGUST_ENTRY, CURRENT_YEAR, LATE_UNIT_AUGUST, RETURN_COMMENT
from scoring.entry import services as entry
from scoring.models import EntryState

pytestmark = pytest.mark.django_db


def test_demo_entry_states_of_the_current_year():
    call_command("seed_demo", "--force", stdout=StringIO())
    states = list(
        EntryState.objects.filter(cycle__year=CURRENT_YEAR).select_related(
            "round__cycle", "indicator__unit"
        )
    )
    april = [s for s in states if s.round.code == "april"]
    august = [s for s in states if s.round.code == "august"]
    # April closed with every reported indicator approved.
    assert {s.status for s in april} == {"approved"}
    # August is open with every status; the late unit has not started.
    assert set(Counter(s.status for s in august)) == {"draft", "submitted", "returned", "approved"}
    assert not [s for s in august if s.indicator.unit.code == LATE_UNIT_AUGUST]
    assert {s.comment for s in august if s.status == "returned"} == {RETURN_COMMENT}
    # Only a complete grid can have been submitted: the others are drafts.
    for state in august:
        empty = entry.load_grid(round=state.round, indicator=state.indicator).empty_cells()
        if state.status != "draft":
            assert (state.indicator.code, empty) == (state.indicator.code, [])
            assert AUGUST_ENTRY[state.indicator.unit.code] == state.status
    assert EntryState.objects.exclude(cycle__year=CURRENT_YEAR).count() == 0
