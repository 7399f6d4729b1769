"""Expert diagnosis (专家会诊 / 定点解剖) of the counties flagged in a round: services.

The lead department opens a case for a county flagged in a round, assigns experts, records
findings and causes, and sends recommendations; the county reads them and answers with a
rectification (:func:`alerts.rectifications.submit_plan`). Every change is audited.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.audit import audit_actor
from alerts.models import DiagnosisCase, DiagnosisFlag
from assessment.governance.assessors import assign_team, dissolve_team
from assessment.mail import county_users, send_to_users
from assessment.models import AssessmentTeam, Assessor, County, Round, User
from assessment.queue import enqueue_on_commit
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable


class CaseRefused(Refused):
    """A step the case's state does not allow; the message says why."""


def open_case(*, round: Round, county: County, actor: User) -> DiagnosisCase:
    """Open the diagnosis case of ``county`` flagged in ``round`` (or return the open one).

    Side effects: creates the case and audits it. Refused when the county is not flagged.
    """
    ensure_cycle_writable(round.cycle, refusal=CaseRefused)
    flagged = DiagnosisFlag.objects.filter(
        round=round, county=county, replaced_at__isnull=True
    ).exists()
    if not flagged:
        raise CaseRefused(_("This county is not flagged for diagnosis in this round."))
    existing = DiagnosisCase.objects.filter(round=round, county=county).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic(), audit_actor(actor):
            case = DiagnosisCase.objects.create(
                cycle_id=round.cycle_id, round=round, county=county, opened_by=actor
            )
    except IntegrityError:  # opened at the same moment by someone else
        return DiagnosisCase.objects.get(round=round, county=county)
    return case


def update_case(*, case: DiagnosisCase, actor: User, experts, **texts: str) -> None:
    """Save the experts, findings, causes and recommendations of an open or sent case.

    The experts are accounts of assessors of the roster; they make the case's team (its
    county, the conflict check: :func:`assessment.governance.assessors.assign_team`).
    Side effects: saves and audits (auditlog tracks the texts, the experts and the team).
    Refused when an expert is not on the roster or may not assess the county.
    """
    ensure_cycle_writable(case.cycle, refusal=CaseRefused)
    if case.status == DiagnosisCase.Status.CLOSED:
        raise CaseRefused(_("A closed case cannot change."))
    experts = list(experts)
    with transaction.atomic(), audit_actor(actor):
        DiagnosisCase.objects.select_for_update().get(pk=case.pk)
        for name, value in texts.items():
            setattr(case, name, value)
        case.team = _case_team(case, experts, actor)
        case.save()
        case.experts.set(experts)


def _case_team(case: DiagnosisCase, experts: list[User], actor: User):
    """The case's team of the roster made of ``experts`` (None when there are none)."""
    members = []
    for user in experts:
        assessor = Assessor.objects.filter(user=user, active=True).first()
        if assessor is None:
            raise CaseRefused(_("%(name)s is not on the assessors' roster.") % {
                "name": user.get_full_name() or user.username,
            })  # fmt: skip
        members.append(assessor)
    if not members:
        if case.team_id:
            dissolve_team(team=case.team, actor=actor)
        return None
    try:
        return assign_team(
            cycle=case.cycle, kind=AssessmentTeam.Kind.DIAGNOSIS, name=str(case.county.name),
            members=members, counties=[case.county], team=case.team, actor=actor,
        )  # fmt: skip
    except ValidationError as exc:
        raise CaseRefused(" ".join(exc.messages)) from exc


def send_recommendations(*, case: DiagnosisCase, actor: User) -> None:
    """Send the recommendations to the county. Side effects: status sent, date, audit; after
    the commit, a job emails the county's users (:func:`notify_case`)."""
    ensure_cycle_writable(case.cycle, refusal=CaseRefused)
    with transaction.atomic(), audit_actor(actor):
        before = DiagnosisCase.objects.select_for_update().get(pk=case.pk)
        if not before.recommendations.strip():
            raise CaseRefused(_("Write the recommendations before sending them."))
        if before.status == DiagnosisCase.Status.CLOSED:
            raise CaseRefused(_("A closed case cannot change."))
        case.status = DiagnosisCase.Status.SENT
        case.sent_at = timezone.now()
        case.read_at = case.notified_at = None
        case.save(update_fields=["status", "sent_at", "read_at", "notified_at"])
        # The outbox is the case itself (sent, not notified): swept if this cannot be queued.
        enqueue_on_commit(_notify_task(), case_id=case.pk)


def mark_case_read(*, case: DiagnosisCase, user: User) -> None:
    """The county opened the recommendations sent to it (the first time). Audited."""
    if not user.is_county or case.status != DiagnosisCase.Status.SENT or case.read_at:
        return
    with audit_actor(user):
        case.read_at = timezone.now()
        case.save(update_fields=["read_at"])


def visible_cases(user: User) -> QuerySet[DiagnosisCase]:
    """The lead department sees every case; a county its own; anyone assigned as an expert
    the cases they are assigned to."""
    qs = DiagnosisCase.objects.select_related("round__cycle", "county", "opened_by")
    if user.is_lead:
        return qs
    if user.is_county:
        return qs.filter(county_id=user.county_id)
    return qs.filter(experts=user)


def _notify_task():
    from alerts.tasks import notify_case_task  # the tasks import these services

    return notify_case_task


def notify_case(*, case_id: int) -> int:
    """Email the county's users that recommendations were sent to them, once per sending.

    Side effects: claims the case (``notified_at``, a conditional update, committed before
    the email goes, so that a worker dying mid-send never sends it twice) and sends one email
    per language of its users; a failed send releases the claim for the next sweep. Returns
    the number of emails sent.
    """
    claimed = DiagnosisCase.objects.filter(
        pk=case_id, status=DiagnosisCase.Status.SENT, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return 0
    case = DiagnosisCase.objects.select_related("round__cycle", "county").get(pk=case_id)

    def render() -> tuple[str, str]:
        context = {
            "case": case,
            "url": settings.SITE_URL.rstrip("/") + reverse("alerts:case", kwargs={"case": case.pk}),
        }
        subject = render_to_string("alerts/email/case_subject.txt", context)
        return subject, render_to_string("alerts/email/case_body.txt", context)

    try:
        return send_to_users(users=county_users(case.county_id), render=render)
    except Exception:
        DiagnosisCase.objects.filter(pk=case_id).update(notified_at=None)
        raise


def send_pending_cases() -> int:
    """The periodic sweep: notify every sent case not notified yet (its job could not be
    queued, or its email failed). Returns the number of emails sent."""
    pending = DiagnosisCase.objects.filter(
        status=DiagnosisCase.Status.SENT, notified_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(notify_case(case_id=pk) for pk in list(pending))
