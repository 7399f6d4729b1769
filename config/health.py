"""Health and degraded service.

``/health/`` (django-health-check) tells the supervisor and the proxy whether the site can
serve: the database, the cache (Redis when ``REDIS_URL`` is set) and, when Celery runs
through a broker, the broker, a worker (it answers a ping) and beat (its heartbeat job ran
within ``BEAT_STALE_SECONDS``). It answers 200 when every check passes, 500 otherwise, with
each check's state as JSON (``?format=openmetrics`` for Prometheus); it needs no login and
reads no user data.

:func:`server_error` is the project's 500 handler: when the error is the database being
unreachable (``OperationalError``/``InterfaceError``, wherever it was raised: a view, the
session or authentication middleware), the answer is 503 with a Chinese page — “服务暂不可用，
请稍后再试” — and ``Retry-After``, rendered without touching the database; any other error is
the usual 500 page.
"""

import dataclasses
import datetime
import sys

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import timezone, translation
from django.views.defaults import server_error as django_server_error
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from assessment.jobs.leases import BEAT_HEARTBEAT_KEY
from assessment.language.choice import early_language


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection."""

    def run(self) -> None:
        try:
            with current_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            raise ServiceUnavailable("broker unreachable") from exc


@dataclasses.dataclass
class Beat(HealthCheck):
    """Beat ticks: its heartbeat job (run by a worker) wrote the time recently."""

    def run(self) -> None:
        try:
            beat = cache.get(BEAT_HEARTBEAT_KEY)
        except Exception as exc:
            raise ServiceUnavailable("cache unreachable") from exc
        if beat is None:
            raise ServiceUnavailable("no beat heartbeat recorded")
        age = (timezone.now() - datetime.datetime.fromisoformat(beat)).total_seconds()
        if age > settings.BEAT_STALE_SECONDS:
            raise ServiceUnavailable(f"beat silent for {age:.0f} s")


class HealthView(HealthCheckView):
    """The checks of this deployment: the Celery ones only when a broker is used."""

    def get_checks(self):
        checks = [Database(), Cache()]
        if not current_app.conf.task_always_eager:
            checks += [Broker(), Ping(timeout=datetime.timedelta(seconds=2)), Beat()]
        yield from checks

    def render_to_response(self, context, **response_kwargs):
        # JSON for a browser too: the library's page carries inline CSS, which our content
        # security policy refuses (and machines read this URL).
        return self.render_to_response_json(response_kwargs.get("status", 200))


DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """500 handler: a database that cannot be reached is 503 “service unavailable” (see the
    module); anything else Django's 500 page."""
    error = sys.exc_info()[1]
    # The error may come before the language middleware ran (the session is read first).
    with translation.override(early_language(request)):
        if not isinstance(error, DATABASE_DOWN):
            return django_server_error(request, template_name)
        body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response
