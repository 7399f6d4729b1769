"""The demo city shows the units' published evaluation opinions on last year's feedback."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.models import User
from indicators.models import UnitEvaluation


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--force", stdout=StringIO())


def test_demo_evaluations_on_the_feedback_page(demo):
    assert UnitEvaluation.objects.filter(cycle__year=2025, status="approved").count() == 6
    client = Client()
    client.force_login(User.objects.get(username="county-108"))
    response = client.get(reverse("reports:feedback", kwargs={"year": 2025, "county": "108"}))
    assert [e.unit.name for e in response.context["evaluations"]] == [
        "市发展改革委",
        "市生态环境局",
    ]
