"""Rectification (问题整改) and follow-up review (回头看): services.

A county answers a warning or a diagnosis case with a plan (measures, person responsible,
deadline), may revise it while it is open, and reports completion with evidence; the lead
department reviews the report and closes the rectification or sends it back with a comment.
Each function checks the state, saves, adds a :class:`RectificationStep` to the history and
audits the change, in one transaction.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.audit import audit_actor
from alerts.models import DiagnosisCase, Rectification, RectificationStep, Warning
from alerts.services import set_warning_status
from assessment.mail import county_users, send_to_users
from assessment.models import User
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable
from assessment.uploads import safe_name

Status = Rectification.Status
Action = RectificationStep.Action


class RectificationRefused(Refused):
    """A step the rectification's state does not allow; the message says why."""


def _step(rect: Rectification, action: str, actor, comment: str = "") -> None:
    RectificationStep.objects.create(
        rectification=rect, action=action, actor=actor, comment=comment
    )


def submit_plan(
    *,
    actor: User,
    measures: str,
    owner: str,
    deadline: date,
    warning: Warning | None = None,
    case: DiagnosisCase | None = None,
) -> Rectification:
    """The county's plan answering ``warning`` or ``case`` (one of them).

    Side effects: creates the rectification and its first step, sets the warning answered,
    audits both. Refused when the warning was replaced or already has a rectification.
    """
    target = warning or case
    ensure_cycle_writable(target.cycle, refusal=RectificationRefused)
    with transaction.atomic(), audit_actor(actor):
        if warning is not None:
            locked = Warning.objects.select_for_update().get(pk=warning.pk)
            if locked.replaced_at is not None:
                raise RectificationRefused(
                    _("This warning was replaced by a later closing of the round.")
                )
        exists = Rectification.objects.filter(
            **({"warning": warning} if warning else {"case": case})
        ).exists()
        if exists:
            raise RectificationRefused(_("A rectification plan has already been submitted."))
        rect = Rectification.objects.create(
            cycle_id=target.cycle_id, county_id=target.county_id, warning=warning, case=case,
            measures=measures, owner=owner, deadline=deadline,
        )  # fmt: skip
        _step(rect, Action.PLANNED, actor)
        if warning is not None:
            set_warning_status(warning=warning, status=Warning.Status.ANSWERED, actor=actor)
    return rect


def revise_plan(
    *, rectification: Rectification, actor: User, measures: str, owner: str, deadline: date
) -> None:
    """Change an open plan (in progress or sent back). Side effects: saves, a step, audit."""
    ensure_cycle_writable(rectification.cycle, refusal=RectificationRefused)
    with transaction.atomic(), audit_actor(actor):
        before = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if before.status not in Rectification.OPEN_STATUSES:
            raise RectificationRefused(_("Only an open rectification can be revised."))
        rectification.measures, rectification.owner = measures, owner
        if deadline != before.deadline:
            rectification.reminded_at = None  # a new deadline earns a new reminder
        rectification.deadline = deadline
        rectification.save()
        _step(rectification, Action.REVISED, actor)


def report_completion(
    *, rectification: Rectification, actor: User, completion: str, evidence: UploadedFile
) -> None:
    """The county reports the rectification done, with an evidence file (checked already by
    :func:`assessment.uploads.validate_upload`). Side effects: stores the file privately,
    sets the status completion reported, adds a step, audits."""
    ensure_cycle_writable(rectification.cycle, refusal=RectificationRefused)
    with transaction.atomic(), audit_actor(actor):
        before = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if before.status not in Rectification.OPEN_STATUSES:
            raise RectificationRefused(_("Only an open rectification can be reported done."))
        rectification.completion = completion
        rectification.evidence_name = safe_name(evidence.name)
        rectification.evidence.save(rectification.evidence_name, evidence, save=False)
        rectification.status = Status.SUBMITTED
        rectification.save()
        _step(rectification, Action.COMPLETED, actor, completion)


def review(*, rectification: Rectification, actor: User, close: bool, comment: str) -> None:
    """The lead department's follow-up review (回头看) of a reported completion: close it, or
    send it back (a comment is required). Side effects: status, a step, the warning closed
    when the rectification closes, audit."""
    if not close and not comment.strip():
        raise RectificationRefused(_("Say what is missing when sending a rectification back."))
    ensure_cycle_writable(rectification.cycle, refusal=RectificationRefused)
    with transaction.atomic(), audit_actor(actor):
        before = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if before.status != Status.SUBMITTED:
            raise RectificationRefused(_("Only a reported completion can be reviewed."))
        rectification.status = Status.CLOSED if close else Status.RETURNED
        rectification.review_comment = comment.strip()
        rectification.save()
        _step(rectification, Action.CLOSED if close else Action.RETURNED, actor, comment.strip())
        if close and rectification.warning_id:
            set_warning_status(
                warning=rectification.warning, status=Warning.Status.CLOSED, actor=actor
            )


def visible_rectifications(user: User) -> QuerySet[Rectification]:
    """The rectifications ``user`` may see: a county its own, a unit those answering
    warnings on its indicators and cases it is an expert of, the lead department all."""
    qs = Rectification.objects.select_related(
        "county", "cycle", "warning__round", "warning__indicator__unit", "case__round"
    )
    if user.is_county:
        return qs.filter(county_id=user.county_id)
    if user.is_unit:
        # A case's rectification too, when one of the unit's people is among its experts.
        return qs.filter(
            Q(warning__indicator__unit_id=user.unit_id) | Q(case__experts=user)
        ).distinct()
    return qs


def remind_deadlines(*, today: date | None = None) -> int:
    """Email each county whose open rectification is due within
    ``settings.RECTIFICATION_REMINDER_DAYS`` days, once per rectification (and deadline).

    Side effects: claims each with ``reminded_at`` (a conditional update, so that two runs
    never remind twice), adds a step, sends one email per rectification to the county's
    users. Returns the number of rectifications reminded.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.RECTIFICATION_REMINDER_DAYS)
    due = Rectification.objects.filter(
        status__in=Rectification.OPEN_STATUSES,
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=horizon,
    ).select_related("county", "warning__indicator", "warning__round", "case__round")
    reminded = 0
    for rect in due:
        with transaction.atomic():
            claimed = Rectification.objects.filter(pk=rect.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            _step(rect, Action.REMINDED, None)
            _send_reminder(rect, today)
            reminded += 1
    return reminded


def _send_reminder(rect: Rectification, today: date) -> None:
    def render() -> tuple[str, str]:
        context = {
            "rect": rect,
            "days": (rect.deadline - today).days,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("alerts:rectification", kwargs={"rectification": rect.pk}),
        }
        subject = render_to_string("alerts/email/reminder_subject.txt", context)
        return subject, render_to_string("alerts/email/reminder_body.txt", context)

    send_to_users(users=county_users(rect.county_id), render=render)
