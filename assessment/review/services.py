"""The state changes of the review workflow (see the package's docstring)."""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.db import models, transaction

from assessment.audit import record_change
from assessment.models import Cycle
from assessment.refusals import Refused
from assessment.services import CycleReadOnly

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"


@dataclass(frozen=True)
class Lock:
    """Why something cannot change now, and who can change that."""

    reason: str  # "cycle_archived", "round_pending", "round_closed", "submitted" or "approved"
    message: str
    who: str


class Locked(Refused):
    """The thing may not change now; ``lock`` says why and who can change that."""

    def __init__(self, lock: Lock):
        self.lock = lock
        super().__init__(lock.message)


class WrongStatus(Refused):
    """A status change that does not apply to the thing's current status."""


def cycle_lock(cycle: Cycle) -> Lock | None:
    """The lock of an archived cycle (the frame's guard): its rules and data are kept as they
    were."""
    if cycle.status == Cycle.Status.ARCHIVED:
        return Lock("cycle_archived", str(CycleReadOnly(cycle)), "")
    return None


def _no_stamps(obj, action: str, actor) -> dict:
    return {}


@dataclass(frozen=True)
class Workflow:
    """How the workflow reads and writes one kind of reviewed thing.

    ``relock(obj)`` reads the row again, locked for the transaction; ``edit_lock(obj)`` is
    what stops its owner changing or submitting it; ``review_lock(obj, reopening)`` what stops
    a review action now; ``check(obj)`` raises a ``Refused`` when the thing is not ready to be
    submitted. ``wrong_status`` is the message of a change that does not apply (with
    ``%(expected)s`` and ``%(status)s``), ``resubmitted`` that of a second submission;
    ``stamps(obj, action, actor)`` the fields the thing
    keeps about each change (who submitted, when reviewed); ``audited`` the fields its audit
    entry records (None: auditlog's own diff of a registered model).
    """

    status: str
    comment: str
    relock: Callable[[models.Model], models.Model]
    edit_lock: Callable[[models.Model], Lock | None]
    review_lock: Callable[[models.Model, bool], Lock | None]
    check: Callable[[models.Model], None]
    wrong_status: str
    resubmitted: str
    stamps: Callable[[models.Model, str, object], dict] = field(default=_no_stamps)
    audited: tuple[str, ...] | None = None


def set_status(flow: Workflow, obj, *, actor, data: dict | None = None, **fields) -> None:
    """Save ``fields`` on ``obj`` and write the one audit entry of the change, with ``data``
    (a comment, a reason). Runs inside the caller's transaction, on a locked row."""
    old = copy.copy(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    # One entry with the comment or reason instead of auditlog's own entry without it.
    with disable_auditlog():
        obj.save()
    record_change(old, obj, actor=actor, data=data, fields=flow.audited)


def _status_label(obj, flow: Workflow, status: str) -> str:
    return str(dict(obj._meta.get_field(flow.status).choices)[status])


def _expect(flow: Workflow, obj, expected: str) -> None:
    if getattr(obj, flow.status) != expected:
        raise WrongStatus(
            flow.wrong_status
            % {
                "expected": _status_label(obj, flow, expected),
                "status": _status_label(obj, flow, getattr(obj, flow.status)),
            }
        )


def submit(flow: Workflow, obj, *, actor):
    """Submit ``obj`` for review. Side effects: status submitted, stamped, audited. Raises
    :class:`Locked` while its owner may not change it, :class:`WrongStatus` when it is
    submitted already, or what ``flow.check`` raises. Returns the locked, saved row."""
    with transaction.atomic():
        locked = flow.relock(obj)
        lock = flow.edit_lock(locked)
        if lock is not None:
            raise Locked(lock)
        if getattr(locked, flow.status) == SUBMITTED:
            raise WrongStatus(flow.resubmitted)
        flow.check(locked)
        stamps = flow.stamps(locked, SUBMITTED, actor)
        set_status(flow, locked, actor=actor, **{flow.status: SUBMITTED}, **stamps)
    return locked


def _review(flow: Workflow, obj, *, actor, expect: str, status: str, comment: str, data=None):
    with transaction.atomic():
        locked = flow.relock(obj)
        lock = flow.review_lock(locked, expect == APPROVED)
        if lock is not None:
            raise Locked(lock)
        _expect(flow, locked, expect)
        fields = {flow.status: status, flow.comment: comment, **flow.stamps(locked, status, actor)}
        set_status(flow, locked, actor=actor, data=data, **fields)
    return locked


def approve(flow: Workflow, obj, *, actor):
    """Approve submitted ``obj``: it is frozen. Side effects: status approved, the comment
    cleared, stamped, audited. Runs in its own transaction (a savepoint inside a caller's),
    so that a loop may approve many and report each refusal. Returns the saved row."""
    return _review(flow, obj, actor=actor, expect=SUBMITTED, status=APPROVED, comment="")


def return_(flow: Workflow, obj, *, actor, comment: str):
    """Return submitted ``obj`` to its owner with ``comment``. Audited with the comment."""
    return _review(
        flow, obj, actor=actor, expect=SUBMITTED, status=RETURNED, comment=comment,
        data={"comment": comment},
    )  # fmt: skip


def reopen(flow: Workflow, obj, *, actor, reason: str):
    """Reopen approved ``obj`` for changes (back to draft, the reason as the comment).
    Audited with the reason."""
    return _review(
        flow, obj, actor=actor, expect=APPROVED, status=DRAFT, comment=reason,
        data={"reason": reason},
    )  # fmt: skip
