"""The published per-indicator statistics, and the lead department's publish / withdraw."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, require_role
from assessment.models import Cycle
from assessment.refusals import Refused
from reports.feedback import statistics_rows
from reports.forms import PublishForm, WithdrawForm
from reports.publication import publication_of, publish, withdraw


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
@require_POST
def publish_results(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            publish(
                cycle=cycle,
                actor=request.user,
                objection_days=form.cleaned_data["objection_days"],
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The %(year)s results are published.") % {"year": cycle.year}
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:statistics", year=cycle.year)


@require_role(LEAD)
@require_POST
def withdraw_results(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    form = WithdrawForm(request.POST)
    if form.is_valid():
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
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:statistics", year=cycle.year)


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
