"""The assessment plan (多考合一): the lead department registers and merges activities and
sees the likely duplicates; units read the plan; each county sees what concerns it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, require_role
from assessment.governance import plan as plan_service
from assessment.governance.forms import MergeForm, PlannedActivityForm
from assessment.governance.views import all_years
from assessment.models import PlannedActivity


@require_role(*ALL_ROLES)
def plan(request: HttpRequest, year: int) -> HttpResponse:
    """The year's plan. The lead department adds activities here and sees the duplicates."""
    cycle = get_cycle_or_404(year)
    user = request.user
    form = PlannedActivityForm(request.POST or None, cycle=cycle) if user.is_lead else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            activity = form.save()
            messages.success(
                request, _("“%(topic)s” added to the plan.") % {"topic": activity.topic}
            )
            return redirect("assessment:plan", year=year)
    activities = plan_service.open_activities(cycle)
    if user.is_county:
        activities = activities.filter(counties=user.county)
    activities = list(activities)
    merge_form = None
    if user.is_lead:
        merge_form = MergeForm(cycle=cycle)
        # Offer the activities already loaded instead of querying them again.
        merge_form.fields["activities"].widget.choices = [
            (a.pk, f"{a.topic}（{a.organizer}）") for a in activities
        ]
    return render(
        request,
        "assessment/plan.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "activities": activities,
            "duplicates": plan_service.likely_duplicates(activities) if user.is_lead else [],
            "merge_form": merge_form,
        },
    )


@require_role(*ALL_ROLES)
@require_safe
def plan_activity(request: HttpRequest, year: int, activity: int) -> HttpResponse:
    """One activity, with those merged into it. A county reads only those concerning it."""
    row = get_object_or_404(
        PlannedActivity.objects.prefetch_related("counties", "merged"),
        pk=activity,
        cycle__year=year,
    )
    if request.user.is_county and request.user.county not in row.counties.all():
        raise Http404
    return render(request, "assessment/plan_activity.html", {"activity": row, "cycle": row.cycle})


@require_role(LEAD)
@require_POST
def plan_merge(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    form = MergeForm(request.POST, cycle=cycle)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("assessment:plan", year=year)
    try:
        combined = plan_service.merge_activities(
            cycle=cycle, actor=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessment:plan", year=year)
    messages.success(request, _("Merged into “%(topic)s”.") % {"topic": combined.topic})
    return redirect("assessment:plan_activity", year=year, activity=combined.pk)
