"""The interface against its own OpenAPI description (schemathesis): every operation is
called with generated requests, as the lead department and as a unit, and every answer must
be one the description declares (status, content type, body schema), never a server error.
Bounded: a few examples per operation, on a small computed year with open rounds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from api.tokens import issue_token
from tests.pages import open_rounds

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes an old database connection at the start and end of each
    request (CONN_MAX_AGE); inside a test that would close the test's own transaction once
    the suite has run longer than CONN_MAX_AGE. Django's test client disconnects the same
    receivers while it calls the handler; so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(computed, lead, unit_user, settings):
    settings.API_RATE = "100000/min"
    open_rounds(computed)
    return {
        "lead": issue_token(user=lead, name="schemathesis", actor=lead).secret,
        "unit": issue_token(user=unit_user, name="schemathesis", actor=lead).secret,
    }


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("role", ["lead", "unit"])
def test_api_answers_as_its_description_says(case, world, role):
    case.call_and_validate(headers={"Authorization": f"Bearer {world[role]}"})


REAL = {"year": 2024, "round": "annual", "county": "101"}


@pytest.mark.parametrize("role", ["lead", "unit"])
def test_api_real_answers_match_the_description(world, role):
    """Each reading operation on the world's own year, round and county: the generated
    requests above mostly name years that do not exist."""
    checked = []
    for operation in schema.get_all_operations():
        operation = operation.ok()
        if operation.method.upper() != "GET":
            continue
        names = {p.name for p in operation.path_parameters}
        case = operation.Case(path_parameters={k: v for k, v in REAL.items() if k in names})
        response = case.call_and_validate(headers={"Authorization": f"Bearer {world[role]}"})
        checked.append((operation.path, response.status_code))
    expected_results = 200 if role == "lead" else 403
    assert sorted(checked) == [
        ("/api/v1/cycles", 200),
        ("/api/v1/cycles/{year}/indicators", 200),
        ("/api/v1/cycles/{year}/results", expected_results),
        ("/api/v1/cycles/{year}/results/{county}", expected_results),
        ("/api/v1/cycles/{year}/rounds", 200),
        ("/api/v1/cycles/{year}/rounds/{round}/data", 200),
        ("/api/v1/cycles/{year}/statistics", 200 if role == "lead" else 404),
    ]


def test_api_real_write_matches_the_description(world):
    operation = schema["/api/v1/cycles/{year}/rounds/{round}/data"]["POST"]
    case = operation.Case(
        path_parameters={"year": 2024, "round": "annual"},
        body={"annual": [{"county": "101", "item": "A01-1", "actual": "93"}]},
    )
    response = case.call_and_validate(headers={"Authorization": f"Bearer {world['unit']}"})
    assert response.json() == {"changed": 1, "entries": [{"indicator": "A01", "status": "draft"}]}
