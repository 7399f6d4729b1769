"""What became of a demo year once its inputs were in: the units' entry states and the April
round closed in the current year; in a past year both rounds closed and delivered, the
results computed, published (the last year reviewed: an override and two objections) and the
year archived. Done by the production services, then dated back to believable days."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from alerts.services import close_round
from assessment.audit import record_event
from assessment.models import County, Cycle, Round, User
from assessment.services import set_cycle_status
from demo.followup import build_follow_up, mark_past_delivered
from demo.plan import AUGUST_ENTRY, PAST_YEARS, RETURN_COMMENT, ObjectionPlan, city_plan
from reports.models import Objection, Publication
from reports.objections import answer, decide, lodge
from reports.publication import publish
from scoring.entry.delivery import deliver
from scoring.models import AnnualInput, CountyResult, Delivery, EntryState
from scoring.results.services import compute_results, override_grade


def aware(day: date) -> datetime:
    """The end of an office day (17:30) of ``day``, in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time(17, 30)))


def finish_current_year(
    cycle: Cycle, *, rounds: dict[str, Round], indicators: dict, progress: list, lead: User
) -> None:
    """Side effects: the units' entry states, the April round closed (warnings, no email) and
    its follow-up (rectifications, a diagnosis case); August stays open."""
    _entry_states(cycle, rounds=rounds, indicators=indicators, progress=progress, lead=lead)
    record_deliveries(rounds=rounds, indicators=indicators, progress=progress, lead=lead)
    _close(rounds["april"])
    rounds["april"].refresh_from_db()
    build_follow_up(round=rounds["april"], lead=lead)


def finish_past_year(
    cycle: Cycle, *, rounds: dict[str, Round], counties: dict[str, County], lead: User
) -> None:
    """Side effects: both pre-assessment rounds closed and their warnings read; the results
    computed and published a fortnight after the annual round closed (the last past year also
    reviewed and corrected); the year archived."""
    for code in ("april", "august"):
        _close(rounds[code])
        rounds[code].refresh_from_db()
        mark_past_delivered(round=rounds[code])
    compute_results(cycle=cycle, actor=lead)
    cycle.results_computed_at = rounds["annual"].closed_at
    cycle.save(update_fields=["results_computed_at"])
    publication = publish(cycle=cycle, actor=lead)
    published_on = rounds["annual"].closes_on + timedelta(days=14)
    last = cycle.year == PAST_YEARS[-1]
    if last:
        _review(cycle, counties=counties, lead=lead, published_on=published_on)
    Publication.objects.filter(pk=publication.pk).update(
        published_at=aware(published_on),
        corrected_at=aware(published_on + timedelta(days=9)) if last else None,
    )
    set_cycle_status(cycle=cycle, status=Cycle.Status.ARCHIVED, actor=lead)


def record_deliveries(
    *, rounds: dict[str, Round], indicators: dict, progress: list, lead: User
) -> None:
    """What the units delivered in each round with data (spec/scoring.md, 未报送): an
    approved entry (the current year), or data without an entry (the past years, loaded by
    the lead department's import); a past year's annual data likewise."""
    states = dict(
        ((r, i), status)
        for r, i, status in EntryState.objects.filter(round__in=rounds.values()).values_list(
            "round_id", "indicator_id", "status"
        )
    )
    with_data = defaultdict(set)
    for r, _c, i, _value in progress:
        with_data[r].add(indicators[i].pk)
    if rounds["annual"].closed_at is not None:
        with_data["annual"] = {ind.pk for ind in indicators.values()}
    for r, ids in with_data.items():
        rnd = rounds[r]
        for source, status in (
            (Delivery.Source.APPROVAL, "approved"),
            (Delivery.Source.IMPORT, None),
        ):
            chosen = [i for i in sorted(ids) if states.get((rnd.pk, i)) == status]
            deliver(round=rnd, indicator_ids=chosen, source=source, actor=lead)


def _close(rnd: Round) -> None:
    """Close a pre-assessment round as the lead department did on its closing day (the
    counties were notified then: no email now)."""
    close_round(round=rnd, notify=False)
    closed_at = aware(rnd.closes_on)
    Round.objects.filter(pk=rnd.pk).update(closed_at=closed_at)
    rnd.warnings.update(issued_at=closed_at)
    rnd.diagnosis_flags.update(flagged_at=closed_at)


def _review(cycle: Cycle, *, counties, lead: User, published_on: date) -> None:
    """The override and the objections of the last past year, through the real services."""
    plan = city_plan()
    code, grade, reason = plan.override
    override_grade(
        result=cycle.county_results.get(county=counties[code]), grade=grade, reason=reason,
        actor=lead,
    )  # fmt: skip
    users = {u.county_id or u.unit_id: u for u in User.objects.exclude(role=User.Role.LEAD)}
    for objection in plan.objections:
        lodged = _object(cycle, objection, counties=counties, users=users, lead=lead)
        Objection.objects.filter(pk=lodged.pk).update(
            lodged_at=aware(published_on + timedelta(days=3)),
            answered_at=aware(published_on + timedelta(days=6)),
            decided_at=aware(published_on + timedelta(days=9)),
        )
    CountyResult.objects.filter(cycle=cycle, county=counties[code]).update(
        override_at=aware(published_on - timedelta(days=2))
    )


def _object(cycle: Cycle, plan: ObjectionPlan, *, counties, users: dict, lead: User) -> Objection:
    """One objection lodged by its county, answered by the indicator's unit and decided (an
    upheld one with a correction corrects the actual figure and recomputes)."""
    county = counties[plan.county]
    indicator = cycle.indicators.get(code=plan.indicator)
    objection = lodge(
        cycle=cycle, county=county, indicator=indicator, reasons=plan.reasons,
        actor=users.get(county.pk),
    )  # fmt: skip
    objection = answer(objection=objection, text=plan.answer, actor=users.get(indicator.unit_id))
    item = indicator.items.get(code=plan.item) if plan.correction else None
    actual = None
    if item is not None:
        row = AnnualInput.objects.get(cycle=cycle, county=county, item=item)
        actual = row.actual + Decimal(plan.correction)
    decide(
        objection=objection, upheld=plan.upheld, reason=plan.decision, actor=lead, item=item,
        actual=actual,
    )  # fmt: skip
    return objection


def _entry_states(
    cycle: Cycle, *, rounds: dict[str, Round], indicators: dict, progress: list, lead: User
) -> None:
    """The units' entries of the current year: April all approved before it closed; August
    open, with every status (AUGUST_ENTRY), a returned one with the lead department's
    comment, and the late unit not started."""
    submitters = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT)}
    reported = defaultdict(set)
    for r, c, i, _value in progress:
        reported[(r, i)].add(c)
    applicable = len(city_plan().counties)
    exempt = defaultdict(int)
    for _c, i, _reason in city_plan().exemptions:
        exempt[i] += 1
    states = []
    for code, ind in indicators.items():
        statuses = {"april": "approved", "august": AUGUST_ENTRY.get(ind.unit.code)}
        for r, status in statuses.items():
            if status is None or not reported[(r, code)]:
                continue
            if len(reported[(r, code)]) < applicable - exempt[code]:
                status = "draft" if r == "august" else status
            day = aware(rounds[r].closes_on if r == "april" else date(cycle.year, 8, 28))
            states.append(_state(cycle, rounds[r], ind, status, day, submitters, lead))
    EntryState.objects.bulk_create(states)
    record_event(cycle, summary="seed_demo entry states", data={"states": len(states)}, actor=lead)


def _state(cycle, rnd, indicator, status: str, day: datetime, submitters, lead) -> EntryState:
    """One unsaved entry state of ``indicator`` in ``rnd``, as its unit left it on ``day``."""
    reviewed = status in ("approved", "returned")
    submitter = submitters.get(indicator.unit_id)
    return EntryState(
        cycle=cycle,
        round=rnd,
        indicator=indicator,
        status=status,
        comment=RETURN_COMMENT if status == "returned" else "",
        updated_by=submitter,
        submitted_at=day if status != "draft" else None,
        submitted_by=submitter if status != "draft" else None,
        reviewed_at=day if reviewed else None,
        reviewed_by=lead if reviewed else None,
    )
