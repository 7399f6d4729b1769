"""Indicator admission (准入): a unit proposes, the lead department reviews, the approver the
settings name decides, and an approved proposal can join a draft year.

Each step is one function that checks the state, saves, writes the proposal's history
(ProposalEvent, shown to its unit and the lead department) and is audited by auditlog
(IndicatorProposal is registered), in one transaction.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import acting
from assessment.models import Cycle, User
from indicators.models import Category, Indicator, IndicatorProposal, ProposalEvent, RuleItem

Status = IndicatorProposal.Status
Action = ProposalEvent.Action


def is_approver(user: User) -> bool:
    """Whether ``user`` decides on proposals: settings.ADMISSION_APPROVER names a user
    (``user:<username>``) or a group (``group:<name>``); unset, any lead-department account."""
    setting = (settings.ADMISSION_APPROVER or "").strip()
    if not user.is_authenticated:
        return False
    if not setting:
        return user.is_lead
    kind, _sep, name = setting.partition(":")
    if kind == "user":
        return user.get_username() == name
    if kind == "group":
        return user.groups.filter(name=name).exists()
    return False


def _step(proposal, *, status, action, comment="", actor=None, allowed=()):
    if allowed and proposal.status not in allowed:
        raise ValidationError(
            _("This proposal is “%(status)s”; that step is not possible now.")
            % {"status": proposal.get_status_display()}
        )
    with transaction.atomic(), acting(actor):
        proposal.status = status
        proposal.save()
        ProposalEvent.objects.create(proposal=proposal, action=action, comment=comment, actor=actor)
    return proposal


def submit_proposal(*, proposal: IndicatorProposal, actor=None) -> IndicatorProposal:
    """Save a unit's new proposal and open its history."""
    proposal.status = Status.SUBMITTED
    return _step(proposal, status=Status.SUBMITTED, action=Action.SUBMITTED, actor=actor)


def review_proposal(*, proposal: IndicatorProposal, comment: str, actor=None):
    """The lead department's review: its opinion, forwarded to the approver."""
    if not comment.strip():
        raise ValidationError(_("Write the review's opinion."))
    return _step(
        proposal, status=Status.REVIEWED, action=Action.REVIEWED, comment=comment.strip(),
        actor=actor, allowed=(Status.SUBMITTED,),
    )  # fmt: skip


def decide_proposal(*, proposal: IndicatorProposal, approve: bool, comment: str, actor: User):
    """The approver's decision. A rejection keeps its reasons (required)."""
    if not is_approver(actor):
        raise PermissionDenied
    if not approve and not comment.strip():
        raise ValidationError(_("A rejection needs its reasons."))
    return _step(
        proposal,
        status=Status.APPROVED if approve else Status.REJECTED,
        action=Action.APPROVED if approve else Action.REJECTED,
        comment=comment.strip(), actor=actor, allowed=(Status.REVIEWED,),
    )  # fmt: skip


def add_to_cycle(
    *, proposal: IndicatorProposal, cycle: Cycle, code: str, category: Category, actor=None
) -> Indicator:
    """Add an approved proposal to a draft year as a new indicator of its unit, with its
    suggested weight and direction; its draft rules become one directly scored rule item
    that the unit then writes out. Raises ValidationError otherwise."""
    if proposal.status != Status.APPROVED:
        raise ValidationError(_("Only an approved proposal can be added to a year."))
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(_("Indicators are added to a draft year only."))
    if category.cycle_id != cycle.pk:
        raise ValidationError(_("The category belongs to another year."))
    if Indicator.objects.filter(cycle=cycle, code=code).exists():
        raise ValidationError(
            _("The indicator code %(code)s is already used this year.") % {"code": code}
        )
    with transaction.atomic(), acting(actor):
        indicator = Indicator.objects.create(
            cycle=cycle, code=code, name=proposal.name, category=category,
            weight=proposal.suggested_weight, unit=proposal.unit, direction=proposal.direction,
            order=Indicator.objects.filter(cycle=cycle).count() + 1,
        )  # fmt: skip
        RuleItem.objects.create(
            cycle=cycle, indicator=indicator, code=f"{code}-1", name=proposal.name,
            content=proposal.draft_rules, share=Decimal(100), method="manual",
        )  # fmt: skip
        proposal.indicator = indicator
        _step(
            proposal, status=Status.ADDED, action=Action.ADDED, actor=actor,
            comment=f"{cycle.year} {code}",
        )  # fmt: skip
    return indicator
