"""The assessors' roster and their teams: the conflict check and the assignment.

An assessor is never assigned to assess the county they come from, nor a county they worked
in during the last ``RECENT_YEARS`` years (the year of the team included). Every change is
audited by auditlog (Assessor, AssessorPosting, AssessorTraining and AssessmentTeam with its
members and counties are registered).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import acting
from assessment.models import (
    AssessmentTeam,
    Assessor,
    Cycle,
    PledgeCheck,
    SpecialTask,
    User,
)
from assessment.services import ensure_cycle_writable

# A former posting keeps its assessor away from the county for this many years after it ended.
RECENT_YEARS = 3


def conflicts(*, assessors, counties, year: int) -> list[str]:
    """Why each of ``assessors`` may not assess any of ``counties`` in ``year``: the county they
    come from, or one they worked in during the last ``RECENT_YEARS`` years. Empty when none."""
    counties = {county.pk: county for county in counties}
    reasons = []
    for assessor in assessors:
        if assessor.home_county_id in counties:
            reasons.append(_("%(name)s comes from %(county)s.") % {
                "name": assessor.name, "county": counties[assessor.home_county_id].name,
            })  # fmt: skip
        for posting in assessor.postings.all():
            if posting.county_id in counties and posting.until_year > year - RECENT_YEARS:
                reasons.append(_("%(name)s worked in %(county)s until %(until)s.") % {
                    "name": assessor.name, "county": counties[posting.county_id].name,
                    "until": posting.until_year,
                })  # fmt: skip
    return reasons


def roster(*, active_only: bool = True):
    """The roster with what the pickers and the conflict check read."""
    qs = Assessor.objects.select_related("unit", "home_county").prefetch_related("postings")
    return qs.filter(active=True) if active_only else qs


def assessor_label(assessor: Assessor) -> str:
    """The assessor as the pickers show them: name, kind, unit (or the lead department)."""
    unit = assessor.unit.name if assessor.unit_id else _("lead department")
    return f"{assessor.name}（{assessor.get_kind_display()} · {unit}）"


def assign_team(
    *,
    cycle: Cycle,
    kind: str,
    name: str,
    members,
    counties,
    leader: Assessor | None = None,
    team: AssessmentTeam | None = None,
    special_task: SpecialTask | None = None,
    pledge_check: PledgeCheck | None = None,
    actor: User | None = None,
) -> AssessmentTeam:
    """Create ``team`` (or change it): its members, leader and counties.

    Side effects: the AssessmentTeam with its members and counties, audited. Raises
    ValidationError, listing every reason, when the year is archived, the team has no member
    or no county, the leader is not a member, a member has left the roster, or a member
    would assess the county they come from or recently worked in.
    """
    ensure_cycle_writable(cycle, refusal=ValidationError)
    members, counties = list(members), list(counties)
    problems = []
    if not members:
        problems.append(_("A team needs at least one member."))
    if not counties:
        problems.append(_("Name the counties the team assesses."))
    if leader is not None and leader not in members:
        problems.append(_("The team leader must be one of its members."))
    problems += [
        _("%(name)s is no longer on the roster.") % {"name": a.name}
        for a in members
        if not a.active
    ]
    problems += conflicts(assessors=members, counties=counties, year=cycle.year)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), acting(actor):
        team = team or AssessmentTeam(cycle=cycle)
        team.kind, team.name, team.leader = kind, name.strip(), leader
        team.special_task, team.pledge_check = special_task, pledge_check
        team.save()
        team.members.set(members)
        team.counties.set(counties)
    return team


def dissolve_team(*, team: AssessmentTeam, actor: User | None = None) -> None:
    """Delete a team (its assessors stay on the roster); audited with what it was."""
    ensure_cycle_writable(team.cycle, refusal=ValidationError)
    with transaction.atomic(), acting(actor):
        team.delete()


def special_team(
    *, task: SpecialTask, members, leader: Assessor | None = None, actor: User | None = None
) -> AssessmentTeam | None:
    """The experts of a special assessment, picked from the roster: its team (of its counties),
    created, changed, or dissolved when no one is picked. Refusals as :func:`assign_team`."""
    members = list(members)
    team = AssessmentTeam.objects.filter(special_task=task).first()
    if not members:
        if team is not None:
            dissolve_team(team=team, actor=actor)
        return None
    return assign_team(
        cycle=task.cycle, kind=AssessmentTeam.Kind.SPECIAL, name=task.name, members=members,
        counties=task.counties.all(), leader=leader, team=team, special_task=task, actor=actor,
    )  # fmt: skip
