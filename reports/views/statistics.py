"""The published per-indicator statistics, and the lead department's publish / withdraw."""

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, require_role
from assessment.models import Cycle
from assessment.refusals import Refused
from reports.feedback import statistics_rows
from reports.forms import PublishForm, WithdrawForm
from reports.models import Objection
from reports.publication import publication_of, publish, withdraw
from scoring.models import CountyResult, Grade


def published_years() -> list[int]:
    return list(
        Cycle.objects.filter(publication__published=True)
        .order_by("-year")
        .values_list("year", flat=True)
    )


@require_role(*ALL_ROLES)
@require_safe
def statistics(request: HttpRequest, year: int) -> HttpResponse:
    """Every role once published; the lead department also before (with the publish form)."""
    cycle = get_cycle_or_404(year)
    publication = publication_of(cycle)
    published = publication is not None and publication.published
    lead = request.user.is_lead
    visible = published or lead
    context = {
        "cycle": cycle,
        "publication": publication,
        "published": published,
        "rows": statistics_rows(cycle) if visible else [],
        "visible": visible,
        "years": list(Cycle.objects.order_by("-year").values_list("year", flat=True))
        if lead
        else published_years(),
    }
    if lead:
        context["publish_form"] = PublishForm()
        context["withdraw_form"] = WithdrawForm()
    return render(request, "reports/statistics.html", context)


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def publish_results(request: HttpRequest, year: int) -> HttpResponse:
    """GET (the panel's form): what publishing will change, to confirm; POST: publish."""
    cycle = get_cycle_or_404(year)
    form = PublishForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:statistics", year=cycle.year)
    if request.method != "POST":
        days = form.cleaned_data["objection_days"]
        return _confirm(request, cycle, "publish", form, {
            "objection_days": days,
            "objection_until": timezone.localdate() + timedelta(days=days),
        })  # fmt: skip
    try:
        publish(cycle=cycle, actor=request.user, objection_days=form.cleaned_data["objection_days"])
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The %(year)s results are published.") % {"year": cycle.year})
    return redirect("reports:statistics", year=cycle.year)


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_results(request: HttpRequest, year: int) -> HttpResponse:
    """GET (the panel's form): what withdrawing will change, to confirm; POST: withdraw."""
    cycle = get_cycle_or_404(year)
    form = WithdrawForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:statistics", year=cycle.year)
    if request.method != "POST":
        open_objections = Objection.objects.filter(cycle=cycle, status__in=Objection.OPEN)
        return _confirm(request, cycle, "withdraw", form, {
            "reason": form.cleaned_data["reason"], "open_objections": open_objections.count(),
        })  # fmt: skip
    try:
        withdraw(cycle=cycle, actor=request.user, reason=form.cleaned_data["reason"])
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The %(year)s results are withdrawn: only the lead department sees them.")
            % {"year": cycle.year},
        )
    return redirect("reports:statistics", year=cycle.year)


def _confirm(request: HttpRequest, cycle: Cycle, action: str, form, extra: dict) -> HttpResponse:
    grades = Counter(r.grade for r in CountyResult.objects.filter(cycle=cycle))
    return render(
        request,
        "reports/publication_confirm.html",
        {
            "cycle": cycle,
            "action": action,
            "form": form,
            "counties": sum(grades.values()),
            "grades": [(label, grades[value]) for value, label in Grade.choices],
            **extra,
        },
    )


@require_role(*ALL_ROLES)
@require_safe
def latest_statistics(request: HttpRequest) -> HttpResponse:
    """The statistics of the latest published year (the lead department: latest computed)."""
    cycles = Cycle.objects.order_by("-year")
    if request.user.is_lead:
        cycle = cycles.filter(results_computed_at__isnull=False).first()
    else:
        cycle = cycles.filter(publication__published=True).first()
    cycle = cycle or cycles.first()
    if cycle is None:
        return redirect("home")
    return redirect("reports:statistics", year=cycle.year)
