"""Each role's to-do list, for its home page: what waits for the reader, by when, and where.

Read-only. Every list is read in a fixed number of queries whatever its length, and every link
goes to a page its reader may open: the lead department any page; a unit the grids, warnings
and objections of its own indicators and its own evaluations of the counties; a county its own
warnings, rectifications, diagnosis cases and, while the period runs, the objection form.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from alerts.models import DiagnosisCase, Rectification, Warning
from assessment.jobs.models import FileJob
from assessment.models import Cycle, Round
from indicators.models import Indicator, UnitEvaluation
from reports.models import Objection, Publication
from reports.objections import objection_deadline
from scoring.models import EntryState, ResultsRefusal

# A round whose closing date falls within this many days is "closing soon" for the lead.
SOON_DAYS = 14
# Items listed under a heading; the count and the heading's link cover all of them.
SHOWN = 10


@dataclass
class Item:
    text: str
    url: str
    deadline: date | None = None
    overdue: bool = False
    note: str = ""  # e.g. the lead department's comment on a returned entry


@dataclass
class Section:
    key: str  # the section's id on the page
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    url: str = ""  # the page with all of them

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def pending(sections: list[Section]) -> list[Section]:
    """The sections with something in them, as the home page shows them."""
    return [s for s in sections if s.count]


def _section(key: str, title: str, items: list[Item], url: str = "") -> Section:
    return Section(key=key, title=title, count=len(items), items=items[:SHOWN], url=url)


def _rect_item(rect: Rectification, today: date, *, county: bool = True) -> Item:
    if rect.warning is not None:
        what = f"{rect.warning.indicator.code} {rect.warning.indicator.name}"
    else:
        what = pgettext("to-do", "expert diagnosis")
    return Item(
        text=f"{rect.county.name} · {what}" if county else what,
        url=reverse("alerts:rectification", kwargs={"rectification": rect.pk}),
        deadline=rect.deadline,
        overdue=rect.is_overdue(today),
    )


def _rectifications(*conditions, **filters):
    return (
        Rectification.objects.filter(*conditions, **filters)
        .select_related("county", "warning__indicator", "case")
        .order_by("deadline", "id")
    )


# --- the lead department ---------------------------------------------------------------------


def _review_items(cycle: Cycle, rounds: dict[int, Round]) -> list[Item]:
    """One item per round with submissions to review, in the rounds' order (1 query)."""
    submitted = (
        EntryState.objects.filter(cycle=cycle, status=EntryState.Status.SUBMITTED)
        .values_list("round_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    review = []
    for round_id, n in sorted(submitted, key=lambda row: _round_order(rounds[row[0]])):
        rnd = rounds[round_id]
        review.append(
            Item(
                text=ngettext("%(round)s: %(n)d submission", "%(round)s: %(n)d submissions", n)
                % {"round": rnd.name, "n": n},
                url=reverse("scoring:entry_matrix", kwargs={"year": cycle.year, "round": rnd.code}),
                deadline=rnd.closes_on,
            )
        )
    return review


def _closing_items(cycle: Cycle, rounds: dict[int, Round], today: date) -> list[Item]:
    """The open rounds closing within :data:`SOON_DAYS` (or overdue), in their order."""
    return [
        Item(
            text=rnd.name,
            url=reverse("alerts:rounds", kwargs={"year": cycle.year}),
            deadline=rnd.closes_on,
            overdue=rnd.closes_on < today,
        )
        for rnd in sorted(rounds.values(), key=_round_order)
        if rnd.status == Round.Status.OPEN
        and rnd.closes_on is not None
        and rnd.closes_on <= today + timedelta(days=SOON_DAYS)
    ]


def _refused_items(cycle: Cycle, results_url: str) -> list[Item]:
    """The cycle's refused computation, if any, with its number of problems, or its
    computation given up (lost with its worker) (1 query)."""
    refusal = ResultsRefusal.objects.filter(cycle=cycle).first()
    if refusal is None:
        return []
    if refusal.interruptions:  # given up, lost with its worker: nothing to fix in the data
        return [
            Item(
                text=_("Interrupted and given up on %(when)s: start the computation again")
                % {"when": f"{refusal.refused_at:%Y-%m-%d}"},
                url=results_url,
            )
        ]
    return [
        Item(
            text=ngettext(
                "Refused on %(when)s: %(n)d problem to solve",
                "Refused on %(when)s: %(n)d problems to solve",
                refusal.problem_count,
            )
            % {"when": f"{refusal.refused_at:%Y-%m-%d}", "n": refusal.problem_count},
            url=results_url,
        )
    ]


def _evaluation_items(cycle: Cycle, *, status: str, unit_id: int | None = None) -> list[Item]:
    """The units' evaluations of ``cycle`` in ``status`` (of one unit, or every unit's), in the
    order they were last changed, each with the lead department's comment (1 query)."""
    rows = UnitEvaluation.objects.filter(cycle=cycle, status=status)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return [
        Item(
            text=e.county.name if unit_id is not None else f"{e.unit.name} · {e.county.name}",
            url=reverse(
                "indicators:evaluation",
                kwargs={"year": cycle.year, "unit": e.unit.code, "county": e.county.code},
            ),
            note=e.comment if unit_id is not None else "",
        )
        for e in rows.select_related("unit", "county").order_by("updated_at", "id")
    ]


def _awaiting_items(user) -> list[Item]:
    """The uploads ``user`` started that wait for their confirmation (a large workbook that
    replaces a year: previewed by its job), oldest first (1 query)."""
    if user is None:
        return []
    jobs = FileJob.objects.filter(
        created_by=user, status=FileJob.Status.AWAITING, confirmation__isnull=True
    ).order_by("created_at", "id")
    return [
        Item(
            text=_(
                "%(file)s, uploaded on %(when)s: see what replacing the year changes, then confirm"
            )
            % {"file": job.source_name, "when": f"{timezone.localtime(job.created_at):%Y-%m-%d}"},
            url=reverse("assessment:file_job", kwargs={"job": job.pk}),
        )
        for job in jobs
    ]


def lead_todo(*, cycle: Cycle, rounds: list[Round], today: date, user=None) -> list[Section]:
    """The lead department's to-do list in ``cycle`` (whose ``rounds`` the caller has read):
    submissions to review per round, the units' evaluations to review, rounds closing soon, a
    refused computation, ``user``'s uploads awaiting confirmation, objections to decide,
    rectifications to review and overdue rectifications (6 queries)."""
    rounds = {r.pk: r for r in rounds}
    review = _review_items(cycle, rounds)
    closing = _closing_items(cycle, rounds, today)
    results_url = reverse("scoring:results", kwargs={"year": cycle.year})
    refused = _refused_items(cycle, results_url)
    objections = [
        Item(
            text=f"{o.county.name} · {o.indicator.code} {o.indicator.name}",
            url=reverse("reports:objection", kwargs={"objection": o.pk}),
            note=o.get_status_display(),
        )
        for o in Objection.objects.filter(cycle=cycle, status__in=Objection.OPEN)
        .select_related("county", "indicator")
        .order_by("lodged_at", "id")
    ]
    rects = list(
        _rectifications(
            Q(status=Rectification.Status.SUBMITTED)
            | Q(status__in=Rectification.OPEN_STATUSES, deadline__lt=today),
            cycle=cycle,
        )
    )
    rect_list = reverse("alerts:rectifications")
    return [
        _section("todo-review", _("Submissions to review"), review),
        _section(
            "todo-evaluations",
            _("Evaluations to review"),
            _evaluation_items(cycle, status=UnitEvaluation.Status.SUBMITTED),
            reverse("indicators:evaluations", kwargs={"year": cycle.year}),
        ),
        _section("todo-closing", _("Rounds closing soon"), closing),
        _section("todo-refused", _("Refused computation"), refused, results_url),
        _section("todo-awaiting", _("Uploads awaiting your confirmation"), _awaiting_items(user)),
        _section(
            "todo-objections",
            _("Objections to decide"),
            objections,
            reverse("reports:objections", kwargs={"year": cycle.year}),
        ),
        _section(
            "todo-rectifications",
            _("Rectifications to review"),
            [_rect_item(r, today) for r in rects if r.status == Rectification.Status.SUBMITTED],
            rect_list,
        ),
        _section(
            "todo-overdue",
            _("Overdue rectifications"),
            [_rect_item(r, today) for r in rects if r.is_overdue(today)],
            rect_list,
        ),
    ]


def _round_order(rnd: Round) -> tuple:
    return (rnd.closes_on or date.max, rnd.code)


# --- a responsible unit ----------------------------------------------------------------------


def _grid_items(cycle: Cycle, unit_id: int, today: date) -> tuple[list[Item], list[Item]]:
    """The unit's grids still to submit in each open round, and those returned to it with the
    comment (2 queries)."""
    indicators = list(
        Indicator.objects.filter(cycle=cycle, unit_id=unit_id).order_by("order", "code")
    )
    open_rounds = sorted(
        (r for r in cycle.rounds.all() if r.status == Round.Status.OPEN), key=_round_order
    )
    states = {
        (s.round_id, s.indicator_id): s
        for s in EntryState.objects.filter(cycle=cycle, indicator__unit_id=unit_id)
    }
    done = (EntryState.Status.SUBMITTED, EntryState.Status.APPROVED)
    due, returned = [], []
    for rnd in open_rounds:
        for ind in indicators:
            state = states.get((rnd.pk, ind.pk))
            if state is not None and state.status in done:
                continue
            item = Item(
                text=f"{rnd.name} · {ind.code} {ind.name}",
                url=reverse(
                    "scoring:entry_grid",
                    kwargs={"year": cycle.year, "round": rnd.code, "indicator": ind.code},
                ),
                deadline=rnd.closes_on,
                overdue=rnd.closes_on is not None and rnd.closes_on < today,
            )
            if state is not None and state.status == EntryState.Status.RETURNED:
                item.note = state.comment
                returned.append(item)
            else:
                due.append(item)
    return due, returned


def unit_todo(*, cycle: Cycle, unit_id: int, today: date) -> list[Section]:
    """A unit's to-do list in ``cycle``: its grids still to submit in each open round (with
    the closing date), entries returned to it with the comment, its evaluations of the
    counties returned to it with the comment, the current warnings on its indicators by round,
    and the objections on its indicators awaiting its answer (6 queries)."""
    due, returned = _grid_items(cycle, unit_id, today)
    warned = (
        Warning.objects.filter(cycle=cycle, indicator__unit_id=unit_id, replaced_at__isnull=True)
        .values_list("round__name", "round__closes_on", "round__code")
        .annotate(n=Count("id"))
        .order_by("round__closes_on", "round__code")
    )
    inbox = reverse("alerts:inbox")
    warnings = [
        Item(
            text=ngettext("%(round)s: %(n)d warning", "%(round)s: %(n)d warnings", n)
            % {"round": name, "n": n},
            url=inbox,
        )
        for name, _closes, _code, n in warned
    ]
    objections = [
        Item(
            text=f"{o.county.name} · {o.indicator.code} {o.indicator.name}",
            url=reverse("reports:objection", kwargs={"objection": o.pk}),
        )
        for o in Objection.objects.filter(
            cycle=cycle, indicator__unit_id=unit_id, status=Objection.Status.LODGED
        )
        .select_related("county", "indicator")
        .order_by("lodged_at", "id")
    ]
    return [
        _section(
            "todo-due",
            _("Grids to submit"),
            due,
            reverse("scoring:entry", kwargs={"year": cycle.year}),
        ),
        _section("todo-returned", _("Entries returned to you"), returned),
        _section(
            "todo-evaluations-returned",
            _("Evaluations returned to you"),
            _evaluation_items(cycle, status=UnitEvaluation.Status.RETURNED, unit_id=unit_id),
            reverse("indicators:evaluations", kwargs={"year": cycle.year}),
        ),
        _section("todo-warnings", _("Warnings on your indicators"), warnings, inbox),
        _section(
            "todo-objections",
            _("Objections to answer"),
            objections,
            reverse("reports:objections", kwargs={"year": cycle.year}),
        ),
    ]


# --- a county --------------------------------------------------------------------------------


def _cycle_sections(cycle: Cycle, county_id: int, today: date) -> list[Section]:
    """The county's unread warnings of ``cycle``, what awaits its rectification plan and its
    open rectifications (3 queries)."""
    inbox = reverse("alerts:inbox")
    warnings = list(
        Warning.objects.filter(cycle=cycle, county_id=county_id, replaced_at__isnull=True)
        .annotate(planned=Exists(Rectification.objects.filter(warning_id=OuterRef("pk"))))
        .select_related("round", "indicator")
        .order_by("round__closes_on", "round__code", "indicator__order", "indicator__code")
    )
    unread = [_warning_item(w) for w in warnings if w.read_at is None]
    to_plan = [
        _warning_item(w)
        for w in warnings
        if not w.planned and w.status in (Warning.Status.ISSUED, Warning.Status.READ)
    ]
    to_plan += [
        Item(
            text=f"{case.round.name} · {pgettext('to-do', 'expert diagnosis')}",
            url=reverse("alerts:case", kwargs={"case": case.pk}),
        )
        for case in DiagnosisCase.objects.filter(
            cycle=cycle,
            county_id=county_id,
            status=DiagnosisCase.Status.SENT,
            rectification__isnull=True,
        ).select_related("round")
    ]
    rects = _rectifications(
        cycle=cycle, county_id=county_id, status__in=Rectification.OPEN_STATUSES
    )
    return [
        _section("todo-unread", _("Unread warnings"), unread, inbox),
        _section("todo-plans", _("Warnings awaiting your rectification plan"), to_plan, inbox),
        _section(
            "todo-rectifications",
            _("Rectifications due"),
            [_rect_item(r, today, county=False) for r in rects],
            reverse("alerts:rectifications"),
        ),
    ]


def county_todo(*, cycle: Cycle | None, county_id: int, now: datetime) -> list[Section]:
    """A county's to-do list: its unread warnings of ``cycle``, the warnings and diagnosis
    recommendations awaiting its rectification plan, its open rectifications with their
    deadlines, and the objection period of its latest published year (7 queries)."""
    today = timezone.localtime(now).date()
    sections = []
    if cycle is not None:
        sections += _cycle_sections(cycle, county_id, today)
    publication = (
        Publication.objects.filter(published=True, cycle__counties=county_id)
        .select_related("cycle")
        .order_by("-cycle__year")
        .first()
    )
    deadline = objection_deadline(publication)
    if deadline is not None and now <= deadline:
        year = publication.cycle.year
        sections.append(
            _section(
                "todo-objection-window",
                _("Objections to the published results"),
                [
                    Item(
                        text=_("The results of %(year)d are published: you may object to a score.")
                        % {"year": year},
                        url=reverse("reports:objection_new", kwargs={"year": year}),
                        deadline=timezone.localtime(deadline).date(),
                    )
                ],
                reverse("reports:objections", kwargs={"year": year}),
            )
        )
    return sections


def _warning_item(warning: Warning) -> Item:
    return Item(
        text=f"{warning.round.name} · {warning.indicator.code} {warning.indicator.name}",
        url=reverse("alerts:warning", kwargs={"warning": warning.pk}),
        note=", ".join(warning.reason_labels),
    )
