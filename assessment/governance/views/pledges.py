"""Pages of the pledge list (责任状): the list and its yearly review (every role reads it; the
lead department edits it), the year's signings (the lead department all, a unit those of the
matters it issues, a county its own), the spot checks (lead department)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, request_cycle, require_role
from assessment.governance import pledges
from assessment.governance.forms import ReviewForm
from assessment.governance.pledge_forms import PledgeCheckForm, PledgeItemForm, PledgeSigningForm
from assessment.governance.views import all_years
from assessment.models import PledgeCheck, PledgeItem, PledgeReview, PledgeSigning, User


@require_role(*ALL_ROLES)
def pledge_items(request: HttpRequest) -> HttpResponse:
    """The pledge list: every role reads it; the lead department adds matters and reviews it."""
    form = PledgeItemForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_lead:
            raise PermissionDenied
        if form.is_valid():
            item = form.save()
            messages.success(request, _("Pledge matter “%(name)s” added.") % {"name": item.name})
            return redirect("assessment:pledge_items")
    cycle = request_cycle(request)
    year = cycle.year if cycle else None
    return render(
        request,
        "assessment/pledge_items.html",
        {
            "items": PledgeItem.objects.select_related("issuing_unit").order_by(
                "-first_year", "id"
            ),
            "form": form,
            "year": year,
            "flagged": pledges.flagged_items(year) if year else [],
            "review": PledgeReview.objects.filter(year=year).select_related("reviewed_by").first(),
            "review_form": ReviewForm(),
        },
    )


@require_role(LEAD)
def pledge_item_edit(request: HttpRequest, pledge_item: int) -> HttpResponse:
    item = get_object_or_404(PledgeItem, pk=pledge_item)
    form = PledgeItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pledge matter “%(name)s” saved.") % {"name": item.name})
        return redirect("assessment:pledge_items")
    return render(request, "assessment/pledge_item_form.html", {"form": form, "item": item})


@require_role(LEAD)
@require_POST
def pledge_review(request: HttpRequest, year: int) -> HttpResponse:
    """Record the yearly clean-up review of the pledge list (what it flagged, by whom)."""
    form = ReviewForm(request.POST)
    if form.is_valid():
        review = pledges.record_review(
            year=year, note=form.cleaned_data["note"], actor=request.user
        )
        messages.success(
            request,
            _("The review of %(year)s is recorded; %(count)s matter(s) flagged.")
            % {"year": year, "count": len(review.flagged)},
        )
    return redirect("assessment:pledge_items")


def visible_signings(user: User, cycle):
    """The signings of ``cycle`` ``user`` sees: the lead all, a unit those of the matters it
    issues, a county its own."""
    rows = PledgeSigning.objects.filter(cycle=cycle).select_related(
        "county", "item__issuing_unit", "recorded_by"
    )
    if user.is_unit:
        return rows.filter(item__issuing_unit_id=user.unit_id)
    if user.is_county:
        return rows.filter(county_id=user.county_id)
    return rows


@require_role(*ALL_ROLES)
def cycle_pledges(request: HttpRequest, year: int) -> HttpResponse:
    """The year's signings, and (lead department, units) the form that records one."""
    cycle = get_cycle_or_404(year)
    form = None
    if not request.user.is_county:
        form = PledgeSigningForm(request.POST or None, cycle=cycle, user=request.user)
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            signing = pledges.record_signing(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Recorded: %(county)s signed “%(item)s”.")
                % {"county": signing.county.name, "item": signing.item.name},
            )
            return redirect("assessment:cycle_pledges", year=year)
    return render(
        request,
        "assessment/cycle_pledges.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "signings": visible_signings(request.user, cycle).order_by("county__code", "item_id"),
        },
    )


@require_role(LEAD)
@require_POST
def pledge_withdraw(request: HttpRequest, year: int, signing: int) -> HttpResponse:
    """Withdraw a signing recorded by mistake (the lead department; a unit asks it)."""
    row = get_object_or_404(
        PledgeSigning.objects.select_related("cycle"), pk=signing, cycle__year=year
    )
    try:
        pledges.withdraw_signing(signing=row, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signing was withdrawn."))
    return redirect("assessment:cycle_pledges", year=year)


@require_role(LEAD)
def pledge_checks(request: HttpRequest, year: int) -> HttpResponse:
    """The year's spot checks of the pledges, and the form that records one."""
    cycle = get_cycle_or_404(year)
    form = PledgeCheckForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            pledges.record_check(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The spot check is recorded."))
            return redirect("assessment:pledge_checks", year=year)
    checks = (
        PledgeCheck.objects.filter(cycle=cycle)
        .select_related("item", "recorded_by")
        .prefetch_related("counties")
        .order_by("-checked_on", "-id")
    )
    return render(
        request,
        "assessment/pledge_checks.html",
        {"cycle": cycle, "years": all_years(), "form": form, "checks": checks},
    )
