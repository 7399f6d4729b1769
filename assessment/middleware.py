"""Middleware of the frame: requests refused before any view runs."""

import time
import unicodedata

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.language.choice import early_language

# Control characters (NUL included) and lone surrogates: no URL of the project names one,
# and a database refuses them in a query (PostgreSQL: "string literal cannot contain NUL").
_BAD_CATEGORIES = {"Cc", "Cs"}


def bad_path(path: str) -> bool:
    """Whether ``path`` (decoded) holds a character no URL of the project can contain."""
    return any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in path)


class RequestGuardMiddleware:
    """Answers before the body is read or a view runs: 413 to a request whose declared body
    is over ``REQUEST_BODY_MAX_BYTES`` (the upload handler stops one that lies as it
    streams), 404 to a path holding a NUL or another control character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bad_path(request.path_info):
            if request.path_info.startswith(tuple(settings.JSON_PATH_PREFIXES)):
                # The data interface answers in JSON, as its description says.
                return JsonResponse({"detail": "not found", "problems": []}, status=404)
            raise Http404("invalid character in the path")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            with translation.override(early_language(request)):
                return self._too_large(length, limit)
        return self.get_response(request)

    @staticmethod
    def _too_large(length: int, limit: int) -> HttpResponse:
        message = _(
            "The request is %(size)s; the largest accepted is %(limit)s "
            "(REQUEST_BODY_MAX_BYTES). Nothing was received."
        ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


RENEWED_AT = "_renewed_at"


def mark_session_renewed(sender, request, user, **kwargs) -> None:
    """At sign-in (``user_logged_in``): the session starts its inactivity period now."""
    request.session[RENEWED_AT] = int(time.time())


class SessionRenewMiddleware:
    """A session ends after ``SESSION_COOKIE_AGE`` seconds without a request: a request
    renews it (its expiry moves to now + the age), at most once every
    ``SESSION_RENEW_SECONDS`` so that pages do not write the session each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            renewed = session.get(RENEWED_AT)
            now = int(time.time())
            if renewed is None or now - renewed >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves a new expiry
        return self.get_response(request)
