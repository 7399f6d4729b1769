"""A test client that reads the pages in English, chosen as a user chooses it.

The pages are Chinese unless the session or the account chose English (the browser's
Accept-Language is not asked: assessment.language). Most tests assert the English source
strings, whatever the Chinese catalogue says; this client chooses English in its session:
before its first request, after each login, and again when a logout ended the session. It
writes the session outside the requests, so that the query counts of a page stay its own.
"""

from django.conf import settings
from django.test import Client

from assessment.language.choice import SESSION_KEY


class EnglishClient(Client):
    def _choose_english(self) -> None:
        session = self.session  # creates the session (and its cookie) when there is none
        session[SESSION_KEY] = "en"
        session.save()

    def request(self, **request):
        cookie = self.cookies.get(settings.SESSION_COOKIE_NAME)
        if cookie is None or not cookie.value:
            self._choose_english()
        return super().request(**request)

    def _login(self, user, backend=None) -> None:
        super()._login(user, backend)
        self._choose_english()
