"""The demo city shows the pledge list with believable data."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessment.governance.pledges import flagged_items
from assessment.models import PledgeCheck, PledgeReview, PledgeSigning


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--force", stdout=StringIO())


def test_demo_pledges(demo):
    assert [i.name for i in flagged_items(2026)] == ["信访工作目标责任书"]
    assert PledgeReview.objects.get(year=2026).flagged[0]["name"] == "信访工作目标责任书"
    assert PledgeSigning.objects.filter(cycle__year=2026).count() == 15
    assert list(
        PledgeCheck.objects.order_by("checked_on").values_list("problems_found", flat=True)
    ) == [True, False]
