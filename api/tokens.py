"""Issuing, revoking and checking the data interface's tokens.

A token is ``kh_`` followed by 43 random URL-safe characters. It is shown once, when issued;
the database keeps its SHA-256 digest (a lookup by digest, so checking a token costs one
query and no password hashing: the token is random, not a password). Issuing and revoking
are audited (auditlog tracks :class:`~api.models.ApiToken`).
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from assessment.audit import acting
from assessment.models import User
from assessment.refusals import Refused

TOKEN_PREFIX = "kh_"
PREFIX_SHOWN = 10


class TokenRefused(Refused):
    """The token cannot be issued or revoked; the message says why."""


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the token itself, shown once


def issue_token(*, user: User, name: str, actor: User | None) -> IssuedToken:
    """Issue a new token for ``user`` (any role; it acts with that account's role).

    Side effects: creates the :class:`ApiToken` (its digest only), audited with ``actor``.
    Raises :class:`TokenRefused` for an inactive account.
    """
    if not user.is_active:
        raise TokenRefused(_("The account %(user)s is inactive.") % {"user": user.username})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(), acting(actor):
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:PREFIX_SHOWN],
            digest=digest_of(secret),
            created_by=actor,
        )
    return IssuedToken(token=token, secret=secret)


def revoke_token(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke ``token``: every later request with it is refused (401).

    Side effects: sets ``revoked_at``/``revoked_by``, audited with ``actor``. Raises
    :class:`TokenRefused` when it is revoked already.
    """
    with transaction.atomic(), acting(actor):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise TokenRefused(_("This token is revoked already."))
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_for(secret: str) -> ApiToken | None:
    """The active token whose text is ``secret``, with its account, if that account is
    active; None otherwise. Side effect: notes the time of use (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # Not through save(): the time of use is not a change worth an audit entry.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
