"""Score and progress entry: the unit's rounds, the grid of one indicator, the lead
department's review (approve, return, reopen) and the status matrix of a round."""

from collections import Counter

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import LEAD, UNIT, get_cycle_or_404, get_round_or_404, require_role
from assessment.models import Round
from assessment.refusals import Refused
from assessment.review.forms import CommentForm, ReasonForm
from assessment.review.services import Locked
from assessment.review.views import ReviewPanel, review_action
from indicators.access import get_indicator_for_user
from indicators.models import Indicator
from indicators.params import NEEDS_TARGET
from scoring.entry import services as entry
from scoring.forms import BulkApproveForm, EntryGridForm, cell_name
from scoring.models import EntryState
from scoring.templatetags.entry_tags import plain


@require_role(LEAD, UNIT)
@require_safe
def overview(request: HttpRequest, year: int) -> HttpResponse:
    """The rounds of a year and the entry status of each of the user's indicators (the
    lead department: every indicator)."""
    cycle = get_cycle_or_404(year)
    rounds = list(cycle.rounds.order_by("closes_on", "code"))
    indicators = Indicator.objects.filter(cycle=cycle).select_related("unit", "category")
    if request.user.is_unit:
        indicators = indicators.filter(unit_id=request.user.unit_id)
    indicators = list(indicators.order_by("order", "code"))
    states = {
        (s.round_id, s.indicator_id): s
        for s in EntryState.objects.filter(cycle=cycle, indicator__in=indicators)
    }
    for ind in indicators:
        ind.cells = [(r, states.get((r.id, ind.id))) for r in rounds]
    return render(
        request,
        "scoring/entry_overview.html",
        {"cycle": cycle, "rounds": rounds, "indicators": indicators},
    )


def column_label(column) -> str:
    """What a column holds, as its header says it: 实际值, 目标值, 得分 or 进度（%）."""
    if column.field == "progress":
        return _("Progress (%%)").replace("%%", "%")
    if column.field == "target":
        return _("Target")
    return _("Score") if column.item.method == "manual" else _("Actual")


def _row_cells(grid, form, scores, county, row: int, labels: dict) -> list[dict]:
    """The cells of one county's row: the inputs of each item followed by its score.

    The inputs are rendered from plain values, not through the form's widgets: a
    province's grid has thousands of cells, and widget rendering would take seconds."""
    cells = []
    for col, column in enumerate(grid.columns):
        name = cell_name(county.id, column.key)
        value = grid.values.get((county.id, column.key))
        # What the user typed when the form comes back, else the stored value.
        shown = "" if value is None else plain(value)
        text = form.data.get(name, "") if form.is_bound else shown
        cells.append(
            {
                "kind": "input",
                "column": column,
                "name": name,
                "text": text,
                "value": value,
                "errors": form.errors.get(name, ()) if form.is_bound else (),
                "row": row,
                "col": col,
                "label": f"{county.name} {labels[column.key]}",
            }
        )
        if column.field == "target" or (
            column.field == "actual" and column.item.method not in NEEDS_TARGET
        ):
            cells.append({"kind": "score", "score": scores.items.get((county.id, column.item.id))})
    return cells


def _grid_context(request, grid, form, **extra) -> dict:
    scores = entry.grid_scores(grid)
    labels = {
        c.key: f"{c.item.name} {column_label(c)}" if c.item else column_label(c)
        for c in grid.columns
    }
    rows = [
        {
            "county": county,
            "exempt": county.id in grid.exempt,
            "cells": _row_cells(grid, form, scores, county, row, labels),
            "points": scores.points.get(county.id),
        }
        for row, county in enumerate(grid.counties)
    ]
    width = len(grid.columns) + len(grid.items) + (1 if grid.annual else 0)
    lock = grid.lock
    return {
        "cycle": grid.round.cycle,
        "round": grid.round,
        "indicator": grid.indicator,
        "state": grid.state,
        "grid": grid,
        "form": form,
        "rows": rows,
        "width": width,
        "needs_target": sorted(NEEDS_TARGET),
        "lock": lock,
        "editable": lock is None,
        "review": _review_panel(grid),
        **extra,
    }


def _review_panel(grid) -> ReviewPanel:
    cycle, rnd, ind = grid.round.cycle, grid.round, grid.indicator
    kwargs = {"year": cycle.year, "round": rnd.code, "indicator": ind.code}
    state = grid.state
    note = ""
    if state is not None and state.submitted_by:
        note = _("Submitted by %(who)s on %(when)s.") % {
            "who": state.submitted_by.username,
            "when": date_format(timezone.localtime(state.submitted_at), "Y-m-d H:i"),
        }
    return ReviewPanel(
        status=state.status if state is not None else "",
        approve_url=reverse("scoring:entry_approve", kwargs=kwargs),
        return_url=reverse("scoring:entry_return", kwargs=kwargs),
        reopen_url=reverse("scoring:entry_reopen", kwargs=kwargs),
        approve_label=_("Approve and lock"),
        approve_hint=_("Approving locks the data; they then count for the computation."),
        nothing=_("Nothing to review: the unit has not submitted these data."),
        submitted_note=note,
        css="entry-review",
    )


@require_role(LEAD, UNIT)
@require_http_methods(["GET", "HEAD", "POST"])
def grid(request: HttpRequest, year: int, round: str, indicator: str) -> HttpResponse:
    """The grid of one indicator in one round: save a draft, or save and submit."""
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    ind = get_indicator_for_user(request.user, cycle, indicator, write=True)
    current = entry.load_grid(round=rnd, indicator=ind)
    if request.method != "POST":
        return render(
            request,
            "scoring/entry_grid.html",
            _grid_context(request, current, EntryGridForm(grid=current)),
        )
    form = EntryGridForm(request.POST, grid=current)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: correct the cells marked in red."))
        return render(
            request, "scoring/entry_grid.html", _grid_context(request, current, form), status=400
        )
    try:
        summary = entry.save_grid(
            round=rnd, indicator=ind, values=form.values(), loaded=form.loaded_values(),
            actor=request.user,
        )  # fmt: skip
    except Locked as exc:
        messages.error(request, str(exc))
        return redirect(request.path)
    except entry.StaleSave as exc:
        form.refresh_after(exc)
        context = _grid_context(request, exc.grid, form, conflicts=exc.conflicts)
        return render(request, "scoring/entry_grid.html", context, status=409)
    if summary.changed or "submit" not in request.POST:
        messages.success(
            request,
            _("Saved: %(count)s cells changed.") % {"count": summary.changed},
        )
    if "submit" in request.POST:
        return _submit(request, rnd, ind)
    return redirect(request.path)


def _submit(request: HttpRequest, rnd: Round, ind: Indicator) -> HttpResponse:
    try:
        entry.submit_entry(round=rnd, indicator=ind, actor=request.user)
    except entry.EntryIncomplete as exc:
        current = entry.load_grid(round=rnd, indicator=ind)
        context = _grid_context(request, current, EntryGridForm(grid=current), missing=exc.missing)
        messages.error(
            request,
            _("Not submitted: %(count)s cells are still empty (listed below).")
            % {"count": len(exc.missing)},
        )
        return render(request, "scoring/entry_grid.html", context, status=400)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Submitted to the lead department for review."))
    return redirect(request.path)


def _review_action(request, year, round, indicator, action, form_class=None) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    ind = get_indicator_for_user(request.user, cycle, indicator, write=True)
    back = redirect("scoring:entry_grid", year=year, round=round, indicator=indicator)
    state = (
        EntryState.objects.select_related("round__cycle", "indicator")
        .filter(round=rnd, indicator=ind)
        .first()
    )
    if state is None:
        messages.error(request, _("Nothing to review: the unit has not submitted these data."))
        return back
    review_action(
        request,
        lambda **kwargs: action(state=state, **kwargs),
        form_class=form_class,
        done=lambda: (
            _("%(indicator)s: %(status)s.")
            % {"indicator": state.indicator, "status": state.get_status_display()}
        ),
    )
    return back


@require_role(LEAD)
@require_POST
def approve(request: HttpRequest, year: int, round: str, indicator: str) -> HttpResponse:
    return _review_action(request, year, round, indicator, entry.approve_entry)


@require_role(LEAD)
@require_POST
def return_(request: HttpRequest, year: int, round: str, indicator: str) -> HttpResponse:
    return _review_action(request, year, round, indicator, entry.return_entry, CommentForm)


@require_role(LEAD)
@require_POST
def reopen(request: HttpRequest, year: int, round: str, indicator: str) -> HttpResponse:
    return _review_action(request, year, round, indicator, entry.reopen_entry, ReasonForm)


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def approve_many(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """GET: the submitted entries of the round, all ticked; POST: approve the ticked ones in
    one step. Returns stay one by one on each grid, with a comment."""
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    states = entry.submitted_entries(rnd)
    form = BulkApproveForm(request.POST or None, states=states)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["indicators"])
        ids = [s.indicator_id for s in states if s.indicator.code in chosen]
        approved, refused = entry.approve_entries(round=rnd, indicator_ids=ids, actor=request.user)
        if approved:
            messages.success(
                request,
                _("%(count)s entries approved: %(codes)s.")
                % {"count": len(approved), "codes": "、".join(s.indicator.code for s in approved)},
            )
        for state, reason in refused:
            messages.error(request, f"{state.indicator.code}: {reason}")
        return redirect("scoring:entry_matrix", year=year, round=rnd.code)
    return render(
        request,
        "scoring/entry_approve_many.html",
        {"cycle": cycle, "round": rnd, "states": states, "form": form},
    )


@require_role(LEAD)
@require_safe
def matrix(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """The status matrix of a round: each unit's indicators, their status and the counties
    still empty. A fixed number of queries for any number of units, indicators, counties."""
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    indicators = list(
        Indicator.objects.filter(cycle=cycle)
        .select_related("unit")
        .order_by("unit__code", "order", "code")
    )
    states = {s.indicator_id: s for s in EntryState.objects.filter(round=rnd)}
    empty = entry.empty_counties(rnd, indicators)
    units: dict = {}
    for ind in indicators:
        ind.state = states.get(ind.id)
        ind.status = ind.state.status if ind.state else "not_started"
        ind.empty = empty[ind.id]
        ind.empty_names = "、".join(c.name for c in ind.empty)
        units.setdefault(ind.unit, []).append(ind)
    counts = Counter(ind.status for ind in indicators)
    labels = [("not_started", _("Not started")), *EntryState.Status.choices]
    return render(
        request,
        "scoring/entry_matrix.html",
        {
            "cycle": cycle,
            "round": rnd,
            "rounds": list(cycle.rounds.order_by("closes_on", "code")),
            "units": list(units.items()),
            "counts": [(value, label, counts[value]) for value, label in labels],
            "total": len(indicators),
            "submitted": counts[EntryState.Status.SUBMITTED],
        },
    )
