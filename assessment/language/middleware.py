"""Activates each request's language (instead of Django's LocaleMiddleware, which follows the
browser's Accept-Language)."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from assessment.language.choice import chosen_language


class LanguageMiddleware:
    """Placed after the session and authentication middleware: the language is the session's
    choice or the signed-in account's (assessment.language.choice)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
