"""Rectifications (问题整改) and their follow-up review (回头看): the list, one
rectification with its history, and the county's and the lead department's steps."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alerts.access import get_rectification_for_user
from alerts.forms import CompletionForm, PlanForm, ReviewForm
from alerts.models import Rectification
from alerts.rectifications import (
    report_completion,
    review,
    revise_plan,
    visible_rectifications,
)
from assessment.access import ALL_ROLES, COUNTY, LEAD, require_role
from assessment.refusals import Refused
from assessment.uploads import file_response

PAGE_SIZE = 100
STATUS_FILTERS = ("open", "overdue", *Rectification.Status.values)


@require_role(*ALL_ROLES)
@require_safe
def rectification_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rects = visible_rectifications(request.user)
    status = request.GET.get("status", "")
    if status == "open":
        rects = rects.filter(status__in=Rectification.OPEN_STATUSES)
    elif status == "overdue":
        rects = rects.filter(status__in=Rectification.OPEN_STATUSES, deadline__lt=today)
    elif status in Rectification.Status.values:
        rects = rects.filter(status=status)
    else:
        status = ""
    # The lead department's work first: reported completions waiting for review.
    rects = rects.order_by("deadline", "county__code", "pk")
    page = Paginator(rects, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [
        ("", _("All")),
        ("open", _("Not yet closed")),
        ("overdue", _("Overdue")),
        *Rectification.Status.choices,
    ]
    return render(
        request,
        "alerts/rectifications.html",
        {"page": page, "status": status, "filters": filters, "today": today},
    )


def _page(request, rect: Rectification, **forms) -> HttpResponse:
    user = request.user
    is_open = rect.status in Rectification.OPEN_STATUSES
    context = {
        "rect": rect,
        "steps": list(rect.steps.select_related("actor")),
        "today": timezone.localdate(),
        "revise_form": None,
        "completion_form": None,
        "review_form": None,
    }
    if user.is_county and is_open:
        context["revise_form"] = forms.get("revise_form") or PlanForm(instance=rect)
        context["completion_form"] = forms.get("completion_form") or CompletionForm()
    if user.is_lead and rect.status == Rectification.Status.SUBMITTED:
        context["review_form"] = forms.get("review_form") or ReviewForm()
    return render(request, "alerts/rectification.html", context)


@require_role(*ALL_ROLES)
@require_safe
def rectification_detail(request: HttpRequest, rectification: int) -> HttpResponse:
    return _page(request, get_rectification_for_user(request.user, rectification))


def _refused(request, rect, exc) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("alerts:rectification", rectification=rect.pk)


@require_role(COUNTY)
@require_POST
def rectification_revise(request: HttpRequest, rectification: int) -> HttpResponse:
    rect = get_rectification_for_user(request.user, rectification)
    form = PlanForm(request.POST, instance=Rectification.objects.get(pk=rect.pk))
    if not form.is_valid():
        return _page(request, rect, revise_form=form)
    try:
        revise_plan(rectification=rect, actor=request.user, **form.cleaned_data)
    except Refused as exc:
        return _refused(request, rect, exc)
    messages.success(request, _("The plan was saved."))
    return redirect("alerts:rectification", rectification=rect.pk)


@require_role(COUNTY)
@require_POST
def rectification_complete(request: HttpRequest, rectification: int) -> HttpResponse:
    rect = get_rectification_for_user(request.user, rectification)
    form = CompletionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, rect, completion_form=form)
    try:
        report_completion(rectification=rect, actor=request.user, **form.cleaned_data)
    except Refused as exc:
        return _refused(request, rect, exc)
    messages.success(request, _("The completion was reported for review."))
    return redirect("alerts:rectification", rectification=rect.pk)


@require_role(LEAD)
@require_POST
def rectification_review(request: HttpRequest, rectification: int) -> HttpResponse:
    rect = get_rectification_for_user(request.user, rectification)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _page(request, rect, review_form=form)
    close = form.cleaned_data["decision"] == "close"
    try:
        review(
            rectification=rect, actor=request.user, close=close,
            comment=form.cleaned_data["comment"],
        )  # fmt: skip
    except Refused as exc:
        return _refused(request, rect, exc)
    messages.success(
        request, _("The rectification was closed.") if close else _("It was sent back.")
    )
    return redirect("alerts:rectification", rectification=rect.pk)


@require_role(*ALL_ROLES)
@require_safe
def rectification_evidence(request: HttpRequest, rectification: int) -> HttpResponse:
    rect = get_rectification_for_user(request.user, rectification)
    if not rect.evidence:
        raise Http404
    return file_response(rect.evidence, rect.evidence_name or rect.evidence.name)
