"""Health and degraded service: /health/ reports the database, the cache and, when a broker
is used, the broker, a worker and beat; with the database unreachable, pages answer 503 with
a Chinese page (config/health.py). Real workers and beat: tests/test_production_stack.py."""

import datetime as dt
import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable

from assessment.jobs.leases import BEAT_HEARTBEAT_KEY, record_beat
from assessment.tasks import beat_heartbeat_task
from config.health import Beat
from tests.broker import broker_down

pytestmark = pytest.mark.django_db


def health(client) -> tuple[int, dict]:
    response = client.get("/health/")
    return response.status_code, json.loads(response.content)


def test_health_without_a_broker_checks_the_database_and_the_cache(client):
    assert health(client) == (
        200,
        {"Database(alias='default')": "OK", "Cache(alias='default')": "OK"},
    )


def test_health_with_the_broker_down_reports_broker_worker_and_beat(client):
    cache.delete(BEAT_HEARTBEAT_KEY)
    with broker_down():
        status, checks = health(client)
    assert status == 500
    assert checks["Database(alias='default')"] == "OK"
    assert checks["Broker()"] == "Unavailable: broker unreachable"
    [ping] = [state for name, state in checks.items() if name.startswith("Ping(")]
    assert ping.startswith("Unavailable")
    assert checks["Beat()"] == "Unavailable: no beat heartbeat recorded"


def test_beat_is_healthy_after_its_heartbeat_and_stale_later(settings):
    assert beat_heartbeat_task.delay().get() == cache.get(BEAT_HEARTBEAT_KEY)
    Beat().run()  # fresh: no error
    old = timezone.now() - dt.timedelta(seconds=settings.BEAT_STALE_SECONDS + 10)
    cache.set(BEAT_HEARTBEAT_KEY, old.isoformat())
    with pytest.raises(ServiceUnavailable, match="beat silent for"):
        Beat().run()
    record_beat()
    Beat().run()


def test_beat_heartbeat_is_on_the_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert (entry["task"], entry["schedule"]) == ("assessment.beat_heartbeat", 30)


def refuse(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_database_down_answers_503_in_chinese(lead):
    client = Client(headers={"accept-language": "zh-hans"}, raise_request_exception=False)
    client.force_login(lead)
    assert SESSION_KEY in client.session
    with connection.execute_wrapper(refuse):
        response = client.get("/")
        with pytest.raises(ServiceUnavailable):
            Database().run()
    body = response.content.decode()
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "<title>服务暂不可用</title>" in body and "服务暂不可用，请稍后再试。" in body


def test_other_errors_stay_the_500_page(lead):
    client = Client(headers={"accept-language": "zh-hans"}, raise_request_exception=False)
    client.force_login(lead)

    def broken(execute, sql, params, many, context):
        raise ZeroDivisionError

    with connection.execute_wrapper(broken):
        response = client.get("/")
    assert response.status_code == 500
    assert "<title>系统错误</title>" in response.content.decode()
