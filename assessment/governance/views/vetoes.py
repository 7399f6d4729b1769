"""Pages of the assessments around the annual one (lead department; the veto list is read by
every role)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, request_cycle, require_role
from assessment.governance import vetoes
from assessment.governance.forms import ReviewForm, VetoForm, VetoItemForm
from assessment.governance.views import all_years
from assessment.models import Veto, VetoItem, VetoReview
from assessment.uploads import file_response


@require_role(*ALL_ROLES)
def veto_items(request: HttpRequest) -> HttpResponse:
    """The veto list: every role reads it; the lead department adds items and reviews it."""
    form = VetoItemForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_lead:
            raise PermissionDenied
        if form.is_valid():
            item = form.save()
            messages.success(request, _("Veto item “%(name)s” added.") % {"name": item.name})
            return redirect("assessment:veto_items")
    cycle = request_cycle(request)
    year = cycle.year if cycle else None
    return render(
        request,
        "assessment/veto_items.html",
        {
            "items": VetoItem.objects.order_by("-first_year", "id"),
            "form": form,
            "year": year,
            "flagged": vetoes.flagged_items(year) if year else [],
            "review": VetoReview.objects.filter(year=year).select_related("reviewed_by").first(),
            "review_form": ReviewForm(),
        },
    )


@require_role(LEAD)
def veto_item_edit(request: HttpRequest, veto_item: int) -> HttpResponse:
    item = get_object_or_404(VetoItem, pk=veto_item)
    form = VetoItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Veto item “%(name)s” saved.") % {"name": item.name})
        return redirect("assessment:veto_items")
    return render(request, "assessment/veto_item_form.html", {"form": form, "item": item})


@require_role(LEAD)
@require_POST
def veto_review(request: HttpRequest, year: int) -> HttpResponse:
    """Record the yearly review of the veto list (what it flagged, by whom)."""
    form = ReviewForm(request.POST)
    if form.is_valid():
        review = vetoes.record_review(year=year, note=form.cleaned_data["note"], actor=request.user)
        messages.success(
            request,
            _("The review of %(year)s is recorded; %(count)s item(s) flagged.")
            % {"year": year, "count": len(review.flagged)},
        )
    return redirect("assessment:veto_items")


@require_role(LEAD)
def cycle_vetoes(request: HttpRequest, year: int) -> HttpResponse:
    """The vetoes of a year, and the form that records one against an item of the list."""
    cycle = get_cycle_or_404(year)
    form = VetoForm(request.POST or None, request.FILES or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            veto = vetoes.record_veto(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Veto recorded against %(county)s; recompute the results to apply it.")
                % {"county": veto.county.name},
            )
            return redirect("assessment:cycle_vetoes", year=year)
    rows = Veto.objects.filter(cycle=cycle).select_related("county", "item", "recorded_by")
    return render(
        request,
        "assessment/cycle_vetoes.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "vetoes": rows.order_by("county__code", "id"),
        },
    )


def _veto(year: int, pk: int) -> Veto:
    return get_object_or_404(Veto.objects.select_related("cycle"), pk=pk, cycle__year=year)


@require_role(LEAD)
@require_POST
def veto_withdraw(request: HttpRequest, year: int, veto: int) -> HttpResponse:
    row = _veto(year, veto)
    try:
        vetoes.withdraw_veto(veto=row, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The veto was withdrawn."))
    return redirect("assessment:cycle_vetoes", year=year)


@require_role(LEAD)
@require_safe
def veto_attachment(request: HttpRequest, year: int, veto: int) -> HttpResponse:
    row = _veto(year, veto)
    if not row.attachment:
        raise Http404
    return file_response(row.attachment, row.attachment_name or "veto")
