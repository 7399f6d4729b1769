"""Which language a request speaks, and storing a user's choice (services)."""

from importlib import import_module

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

# The language chosen in this session (before login, or since): it outlives the login, which
# keeps an anonymous session's data.
SESSION_KEY = "_language"


def _known(code: str | None) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


def chosen_language(request: HttpRequest) -> str:
    """The language of ``request``: the one chosen in its session, else the signed-in
    account's, else ``settings.LANGUAGE_CODE`` (Chinese) — never the browser's, except under
    ``settings.ACCEPT_LANGUAGE_PATHS`` (the data interface, whose machine clients ask with
    ``Accept-Language``)."""
    if request.path_info.startswith(tuple(settings.ACCEPT_LANGUAGE_PATHS)):
        return translation.get_language_from_request(request)
    session = getattr(request, "session", None)
    chosen = _known(session.get(SESSION_KEY)) if session is not None else None
    user = getattr(request, "user", None)
    if chosen is None and user is not None and user.is_authenticated:
        chosen = _known(user.language)
    return chosen or settings.LANGUAGE_CODE


def early_language(request: HttpRequest) -> str:
    """The language of an answer given before the session and the user are known (a request
    refused before it is read, the database down, a server error): the session's choice when
    it can be read, else ``settings.LANGUAGE_CODE``."""
    if request.path_info.startswith(tuple(settings.ACCEPT_LANGUAGE_PATHS)):
        return translation.get_language_from_request(request)
    try:
        session = getattr(request, "session", None)
        if session is None:
            engine = import_module(settings.SESSION_ENGINE)
            session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        chosen = _known(session.get(SESSION_KEY))
    except Exception:  # an error page must render whatever broke the session
        chosen = None
    return chosen or settings.LANGUAGE_CODE


def choose_language(*, request: HttpRequest, language: str) -> bool:
    """Make ``language`` the language of ``request``'s user from now on.

    Side effects: stores it in the session; for a signed-in user also saves it as the
    account's ``language`` (its pages in later sessions, its emails and exports); activates it
    for the rest of the request. Returns False, changing nothing, for a language not in
    ``settings.LANGUAGES``.
    """
    if _known(language) is None:
        return False
    request.session[SESSION_KEY] = language
    user = request.user
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return True
