"""The language switch of the navigation (a POST from any page, also the sign-in page)."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessment.language.choice import choose_language


def _back(request: HttpRequest) -> str:
    """The page the switch was pressed on (``next``, else the referrer), if it is ours."""
    for url in (request.POST.get("next"), request.headers.get("referer")):
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return "/"


@require_POST
def set_language(request: HttpRequest) -> HttpResponseRedirect:
    """Choose the language of ``request.POST["language"]`` and go back to the page (an
    unknown language changes nothing)."""
    choose_language(request=request, language=request.POST.get("language", ""))
    return HttpResponseRedirect(_back(request))
