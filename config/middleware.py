"""The project's own 404 page also with ``DEBUG`` on.

With ``DEBUG`` on, Django answers a missing page with its technical 404 page (in English, with
the URL patterns tried), which the demo's users must not meet. This middleware answers with the
project's page (templates/404.html: Chinese, the navigation, the way home) instead, unless
``TECHNICAL_404`` asks for Django's page (a developer looking for a URL). With ``DEBUG`` off
Django shows the project's page anyway, and the middleware does nothing. The 403 page is the
project's in both cases already (Django's handler for PermissionDenied ignores ``DEBUG``).
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver
from django.views.defaults import page_not_found


def _own_page() -> bool:
    return settings.DEBUG and not settings.TECHNICAL_404


class OwnNotFoundPageMiddleware:
    """Placed after the authentication middleware, so that the page shows the navigation of
    the signed-in user, and after CommonMiddleware, which still turns a 404 of an address
    without its final slash into a redirect."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _own_page():
            # An address that matches no URL pattern never reaches a view (nor
            # process_exception): Django would answer with its technical page.
            urlconf = getattr(request, "urlconf", None)
            try:
                get_resolver(urlconf).resolve(request.path_info)
            except Resolver404 as exc:
                return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A view's Http404 (an unknown object, an outsider's object)."""
        if _own_page() and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
