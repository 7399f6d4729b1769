"""Emails in their recipients' languages (services).

Every email of the application goes through :func:`send_to_users`: the recipients are
grouped by the language of their account (``User.language``) and each group gets the
message rendered in its language, so that a Chinese and an English user of the same county
each read it in their own.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from assessment.models import User

Render = Callable[[], tuple[str, str]]


def recipients_by_language(users: Iterable[User]) -> dict[str, list[str]]:
    """The addresses of ``users`` (active, with an address) grouped by their language, in
    the order of ``settings.LANGUAGES``; each group's addresses sorted."""
    groups: dict[str, list[str]] = {}
    for user in users:
        if user.is_active and user.email:
            groups.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user.email)
    order = [code for code, _name in settings.LANGUAGES]
    return {
        lang: sorted(groups[lang])
        for lang in sorted(groups, key=lambda c: order.index(c) if c in order else len(order))
    }


def send_to_users(*, users: Iterable[User], render: Render) -> int:
    """Send one email per language to ``users``: ``render()`` is called under each
    recipient group's language and returns ``(subject, body)``.

    Side effects: sends the emails (``settings.EMAIL_BACKEND``). Returns how many were sent
    (0 when no user has an address). A subject's line breaks are folded into spaces.
    """
    sent = 0
    for language, addresses in recipients_by_language(users).items():
        with translation.override(language):
            subject, body = render()
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, addresses)
        sent += 1
    return sent


def county_users(county_id: int):
    """The active users of a county with an address (the recipients of its emails)."""
    return User.objects.filter(county_id=county_id, is_active=True).exclude(email="")
