"""A new year from the last: the copy, the draft year's setup (settings, counties,
indicators, activation), and the page of what changed against any earlier year."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, require_role
from assessment.models import Cycle
from assessment.services import set_cycle_status
from indicators.forms_years import CompareForm, CycleSettingsForm, IndicatorForm, NewCycleForm
from indicators.models import Indicator
from indicators.services.activation import preview_activation
from indicators.services.diff import diff_cycles
from indicators.services.weights import weight_problems
from indicators.services.yearcopy import copy_cycle


@require_role(LEAD)
def new_cycle(request: HttpRequest) -> HttpResponse:
    """Copy a year into a new draft year, then show what the copy changed (nothing yet)."""
    latest = Cycle.objects.order_by("-year").first()
    initial = {"source": latest, "year": latest.year + 1} if latest else {}
    form = NewCycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = copy_cycle(
                source=form.cleaned_data["source"],
                year=form.cleaned_data["year"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("year", exc)
        else:
            messages.success(
                request,
                _("The year %(year)s was created as a copy of %(source)s; it is a draft.")
                % {"year": cycle.year, "source": form.cleaned_data["source"].year},
            )
            return redirect("indicators:setup", year=cycle.year)
    return render(request, "indicators/year_new.html", {"form": form})


def _editable(request: HttpRequest, cycle: Cycle) -> bool:
    if cycle.status == Cycle.Status.DRAFT:
        return True
    messages.error(request, _("Only a draft year is edited here; this year is not a draft."))
    return False


@require_role(LEAD)
def setup(request: HttpRequest, year: int) -> HttpResponse:
    """The draft year's settings and counties, its indicators with edit links, the weights
    check and the activation button."""
    cycle = get_cycle_or_404(year)
    draft = cycle.status == Cycle.Status.DRAFT
    form = CycleSettingsForm(request.POST or None, instance=cycle)
    if not draft:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and _editable(request, cycle) and form.is_valid():
        form.save()
        messages.success(request, _("The settings of %(year)s were saved.") % {"year": year})
        return redirect("indicators:setup", year=year)
    indicators = list(
        Indicator.objects.filter(cycle=cycle)
        .select_related("unit", "category")
        .order_by("category__order", "order", "code")
    )
    return render(
        request,
        "indicators/year_setup.html",
        {
            "cycle": cycle,
            "draft": draft,
            "form": form,
            "indicators": indicators,
            "weights": sum((i.weight for i in indicators), Decimal(0)),
            "weights_problems": weight_problems(cycle),
            "earlier": Cycle.objects.filter(year__lt=cycle.year).order_by("-year").first(),
        },
    )


@require_role(LEAD)
def indicator_form(request: HttpRequest, year: int, indicator: str | None = None) -> HttpResponse:
    """Add an indicator to a draft year, or edit one (name, category, weight, unit,
    direction, order); the code of an existing indicator stays."""
    cycle = get_cycle_or_404(year)
    instance = get_object_or_404(Indicator, cycle=cycle, code=indicator) if indicator else None
    form = IndicatorForm(request.POST or None, instance=instance, cycle=cycle)
    if request.method == "POST" and _editable(request, cycle) and form.is_valid():
        saved = form.save()
        messages.success(request, _("Indicator %(code)s saved.") % {"code": saved.code})
        return redirect("indicators:setup", year=year)
    return render(
        request,
        "indicators/indicator_form.html",
        {"cycle": cycle, "form": form, "indicator": instance},
    )


@require_role(LEAD)
@require_POST
def indicator_delete(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    """Remove an indicator and its rule items from a draft year (audited by auditlog)."""
    cycle = get_cycle_or_404(year)
    instance = get_object_or_404(Indicator, cycle=cycle, code=indicator)
    if _editable(request, cycle):
        with transaction.atomic():
            instance.items.all().delete()
            instance.delete()
        messages.success(request, _("Indicator %(code)s removed.") % {"code": indicator})
    return redirect("indicators:setup", year=year)


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def activate(request: HttpRequest, year: int) -> HttpResponse:
    """GET: what activating the draft year would change (the checks' outcome, the year the
    pages open on, the other active years, what the year holds); POST: activate it
    (set_cycle_status runs the activation checks, the weights, again)."""
    cycle = get_cycle_or_404(year)
    if cycle.status != Cycle.Status.DRAFT:
        messages.error(request, _("Only a draft year can be activated."))
        return redirect("indicators:setup", year=year)
    if request.method != "POST":
        return render(
            request,
            "indicators/year_activate.html",
            {"cycle": cycle, "preview": preview_activation(cycle=cycle)},
        )
    try:
        set_cycle_status(cycle=cycle, status=Cycle.Status.ACTIVE, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The year %(year)s is active.") % {"year": year})
    return redirect("indicators:setup", year=year)


@require_role(*ALL_ROLES)
def changes(request: HttpRequest, year: int) -> HttpResponse:
    """What changed in the indicator system of ``year`` against another year (by default the
    active one, else the one before it): every role reads it, as it reads the indicator
    system."""
    cycle = get_cycle_or_404(year)
    form = CompareForm(request.GET or None, cycle=cycle)
    against = None
    if form.is_valid():
        against = form.cleaned_data["against"]
    if against is None:
        # The year in force first (a draft is compared with what it would replace).
        against = (
            Cycle.objects.filter(status=Cycle.Status.ACTIVE).exclude(pk=cycle.pk).first()
            or Cycle.objects.filter(year__lt=cycle.year).order_by("-year").first()
            or Cycle.objects.exclude(pk=cycle.pk).order_by("-year").first()
        )
        form = CompareForm(initial={"against": against}, cycle=cycle)
    diff = diff_cycles(against, cycle) if against else None
    return render(
        request,
        "indicators/year_changes.html",
        {
            "cycle": cycle,
            "against": against,
            "form": form,
            "diff": diff,
            "action": reverse("indicators:changes", kwargs={"year": year}),
        },
    )
