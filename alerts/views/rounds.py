"""The lead department's round calendar: dates and settings of each round, add a round,
close and reopen by hand."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alerts.forms import AnnualRoundForm, ReopenForm, RoundAddForm, RoundForm
from alerts.models import DiagnosisFlag, Warning
from alerts.preview import preview_close
from alerts.rounds import (
    RoundRefused,
    close_round_by_hand,
    open_round,
    reopen_round_by_hand,
)
from alerts.services import NoExpectedProgress
from assessment.access import LEAD, get_cycle_or_404, get_round_or_404, require_role
from assessment.models import Cycle, Round
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable
from scoring.entry.delivery import undelivered


@require_role(LEAD)
@require_safe
def rounds(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    # The pre-assessments by date, then the annual round.
    rows = sorted(
        cycle.rounds.order_by("closes_on", "code"),
        key=lambda r: r.kind == Round.Kind.ANNUAL,
    )
    # Counted apart: one join of both would multiply the warnings by the flags.
    warnings = _count_by_round(Warning, cycle)
    flags = _count_by_round(DiagnosisFlag, cycle)
    for rnd in rows:
        rnd.warning_count, rnd.flag_count = warnings.get(rnd.pk, 0), flags.get(rnd.pk, 0)
    return render(
        request,
        "alerts/rounds.html",
        {
            "cycle": cycle,
            "rounds": rows,
            "years": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "writable": cycle.status != Cycle.Status.ARCHIVED,
        },
    )


def _count_by_round(model, cycle: Cycle) -> dict[int, int]:
    return dict(
        model.objects.filter(cycle=cycle, replaced_at__isnull=True)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )


def _refuse_archived(request: HttpRequest, cycle: Cycle) -> HttpResponse | None:
    try:
        ensure_cycle_writable(cycle, refusal=RoundRefused)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("alerts:rounds", year=cycle.year)
    return None


@require_role(LEAD)
@require_http_methods(["GET", "POST"])
def round_add(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    if refused := _refuse_archived(request, cycle):
        return refused
    form = RoundAddForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        rnd = form.save(commit=False)
        rnd.cycle, rnd.kind = cycle, Round.Kind.PRE
        rnd.save()  # audited by auditlog (assessment registers Round)
        messages.success(request, _("The round %(name)s was added.") % {"name": rnd.name})
        return redirect("alerts:rounds", year=year)
    return render(request, "alerts/round_form.html", {"cycle": cycle, "form": form})


@require_role(LEAD)
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, year: int, round: str) -> HttpResponse:
    rnd = get_round_or_404(year, round)
    if refused := _refuse_archived(request, rnd.cycle):
        return refused
    form_class = AnnualRoundForm if rnd.kind == Round.Kind.ANNUAL else RoundForm
    form = form_class(request.POST or None, instance=rnd)
    if request.method == "POST" and form.is_valid():
        form.save()  # audited by auditlog (assessment registers Round)
        messages.success(request, _("The round %(name)s was saved.") % {"name": rnd.name})
        return redirect("alerts:rounds", year=year)
    return render(
        request, "alerts/round_form.html", {"cycle": rnd.cycle, "form": form, "round": rnd}
    )


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def round_close(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """GET: what closing the round would do (warnings by reason and county, counties
    flagged, indicators not delivered, emails; for the annual round, the entries it locks
    unapproved); POST: close it."""
    rnd = get_round_or_404(year, round)
    if rnd.kind == Round.Kind.ANNUAL:
        return _close_annual(request, rnd)
    if request.method != "POST":
        if refused := _refuse_archived(request, rnd.cycle):
            return refused
        try:
            preview = preview_close(round=rnd)
        except NoExpectedProgress:
            messages.error(request, _("Set the expected progress of the round before closing it."))
            return redirect("alerts:rounds", year=year)
        return render(request, "alerts/round_close.html", {"round": rnd, "preview": preview})
    try:
        summary = close_round_by_hand(round=rnd, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    except NoExpectedProgress:
        messages.error(request, _("Set the expected progress of the round before closing it."))
    else:
        messages.success(
            request,
            _(
                "%(name)s is closed: %(warnings)s warnings (%(created)s new, %(replaced)s "
                "replaced), %(flagged)s counties flagged for diagnosis."
            )
            % {
                "name": rnd.name, "warnings": summary.warnings, "created": summary.created,
                "replaced": summary.replaced, "flagged": summary.flagged,
            },
        )  # fmt: skip
        if summary.undelivered:
            messages.warning(
                request,
                _(
                    "Not delivered by their units, so no county is warned on them: "
                    "%(indicators)s. Their units are reminded; once their data are approved, "
                    "reopen and close the round again to issue their warnings."
                )
                % {"indicators": "、".join(summary.undelivered)},
            )
        return redirect("alerts:round_summary", year=year, round=rnd.code)
    return redirect("alerts:rounds", year=year)


def _close_annual(request: HttpRequest, rnd: Round) -> HttpResponse:
    if refused := _refuse_archived(request, rnd.cycle):
        return refused
    late = undelivered(rnd)
    if request.method != "POST":
        return render(request, "alerts/round_close_annual.html", {"round": rnd, "late": late})
    try:
        close_round_by_hand(round=rnd, actor=request.user)
    except RoundRefused as exc:
        messages.error(request, str(exc))
        return redirect("alerts:rounds", year=rnd.cycle.year)
    messages.success(
        request,
        _("%(name)s is closed: the units can no longer change the annual data.")
        % {"name": rnd.name},
    )
    if late:
        messages.warning(
            request,
            _(
                "Not approved yet: %(indicators)s. The results cannot be computed until they "
                "are; reopen the round so that their units can finish them."
            )
            % {"indicators": "、".join(u.indicator.code for u in late)},
        )
    return redirect("alerts:rounds", year=rnd.cycle.year)


@require_role(LEAD)
@require_POST
def round_open(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """Open a pending round before its opening date (the calendar opens it on that date)."""
    rnd = get_round_or_404(year, round)
    try:
        opened = open_round(round=rnd, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        if opened:
            messages.success(request, _("%(name)s is open.") % {"name": rnd.name})
    return redirect("alerts:rounds", year=year)


@require_role(LEAD)
@require_http_methods(["GET", "POST"])
def round_reopen(request: HttpRequest, year: int, round: str) -> HttpResponse:
    rnd = get_round_or_404(year, round)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reopen_round_by_hand(round=rnd, reason=form.cleaned_data["reason"], actor=request.user)
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            if rnd.kind == Round.Kind.ANNUAL:
                text = _("%(name)s is open again: the units can change the annual data.")
            else:
                text = _("%(name)s is open again; its warnings stay until it closes.")
            messages.success(request, text % {"name": rnd.name})
        return redirect("alerts:rounds", year=year)
    return render(request, "alerts/round_reopen.html", {"round": rnd, "form": form})
