"""The warnings inbox (a county's own, a unit's indicators', all of them for the lead
department) and the page of one warning."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from alerts.access import get_warning_for_user
from alerts.delivery import mark_read, visible_warnings
from alerts.diagnosis import visible_cases
from alerts.forms import InboxFilterForm, PlanForm
from alerts.models import Rectification, Warning
from alerts.rectifications import submit_plan
from assessment.access import ALL_ROLES, COUNTY, request_cycle, require_role
from assessment.models import County, Round
from assessment.refusals import Refused

PAGE_SIZE = 100


@require_role(*ALL_ROLES)
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = request_cycle(request)
    warnings = visible_warnings(user).filter(cycle=cycle)
    rounds = list(
        Round.objects.filter(cycle=cycle, kind=Round.Kind.PRE, closed_at__isnull=False)
        .select_related("cycle")
        .order_by("-closes_on", "code")
    )
    counties = None if user.is_county else County.objects.filter(cycles=cycle)
    form = InboxFilterForm(request.GET or None, rounds=rounds, counties=counties)
    if form.is_valid():
        data = form.cleaned_data
        if data["round"]:
            warnings = warnings.filter(round_id=data["round"])
        if data.get("county"):
            warnings = warnings.filter(county=data["county"])
        if data["status"]:
            warnings = warnings.filter(status=data["status"])
    warnings = warnings.order_by(
        "-round__closes_on", "round__code", "county__code", "indicator__order", "indicator__code"
    )
    page = Paginator(warnings, PAGE_SIZE).get_page(request.GET.get("page"))
    # A county's diagnosis cases, and those a unit's people are experts of (the lead
    # department finds them on each round's summary).
    cases = [] if user.is_lead else list(visible_cases(user).filter(cycle=cycle))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alerts/inbox.html",
        {
            "cycle": cycle,
            "form": form,
            "page": page,
            "cases": cases,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def _versions(warning: Warning) -> list[Warning]:
    """Every issue of the same (round, county, indicator), the newest first, with their
    rectifications: a replaced warning keeps its history."""
    return list(
        Warning.objects.filter(
            round_id=warning.round_id,
            county_id=warning.county_id,
            indicator_id=warning.indicator_id,
        )
        .exclude(pk=warning.pk)
        .select_related("rectification")
        .order_by("-issued_at", "-pk")
    )


def _warning_page(request, warning: Warning, plan_form=None) -> HttpResponse:
    rectification = Rectification.objects.filter(warning=warning).first()
    can_plan = request.user.is_county and warning.replaced_at is None and rectification is None
    return render(
        request,
        "alerts/warning.html",
        {
            "warning": warning,
            "rectification": rectification,
            "versions": _versions(warning),
            "plan_form": (plan_form or PlanForm()) if can_plan else None,
            "today": timezone.localdate(),
        },
    )


@require_role(*ALL_ROLES)
@require_safe
def warning_detail(request: HttpRequest, warning: int) -> HttpResponse:
    found = get_warning_for_user(request.user, warning)
    mark_read(warning=found, user=request.user)
    return _warning_page(request, found)


# Said after a rectification plan is submitted (for a warning or a diagnosis case).
PLAN_SUBMITTED = gettext_lazy(
    "The rectification plan was submitted; the lead department reviews it. Deadline: %(deadline)s."
)


@require_role(COUNTY)
@require_POST
def warning_plan(request: HttpRequest, warning: int) -> HttpResponse:
    found = get_warning_for_user(request.user, warning)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            rect = submit_plan(actor=request.user, warning=found, **form.cleaned_data)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("alerts:warning", warning=found.pk)
        messages.success(request, PLAN_SUBMITTED % {"deadline": rect.deadline.isoformat()})
        return redirect("alerts:rectification", rectification=rect.pk)
    return _warning_page(request, found, plan_form=form)
