"""Expert diagnosis cases (专家会诊): opened by the lead department for a flagged county,
worked on with the experts, read and answered by the county."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alerts.access import get_case_for_user
from alerts.delivery import warnings_for
from alerts.diagnosis import (
    mark_case_read,
    open_case,
    send_recommendations,
    update_case,
)
from alerts.forms import CaseForm, PlanForm, expert_label
from alerts.models import DiagnosisCase, DiagnosisFlag, Rectification, Warning
from alerts.rectifications import submit_plan
from alerts.views.inbox import PLAN_SUBMITTED
from assessment.access import (
    ALL_ROLES,
    COUNTY,
    LEAD,
    get_county_for_user,
    get_round_or_404,
    require_role,
)
from assessment.models import Round
from assessment.refusals import Refused


def _page(request, case: DiagnosisCase, case_form=None, plan_form=None) -> HttpResponse:
    user = request.user
    rectification = Rectification.objects.filter(case=case).first()
    sent = case.status != DiagnosisCase.Status.OPEN
    warnings = Warning.objects.filter(
        round_id=case.round_id, county_id=case.county_id, replaced_at__isnull=True
    ).order_by("indicator__order", "indicator__code")
    context = {
        "case": case,
        "experts": [
            {"label": expert_label(u)} for u in case.experts.select_related("unit").order_by("pk")
        ],
        "flag": DiagnosisFlag.objects.filter(
            round_id=case.round_id, county_id=case.county_id, replaced_at__isnull=True
        ).first(),
        "warnings": list(warnings.select_related("indicator__unit")),
        # An expert of another unit reads the others' warnings here, without a link.
        "openable": set(warnings_for(user, warnings).values_list("pk", flat=True)),
        "rectification": rectification,
        # The county reads the case once the recommendations are sent to it.
        "show_texts": not user.is_county or sent,
        "case_form": None,
        "plan_form": None,
        "today": timezone.localdate(),
    }
    if user.is_lead and case.status != DiagnosisCase.Status.CLOSED:
        context["case_form"] = case_form or CaseForm(instance=case)
    if user.is_county and sent and rectification is None:
        context["plan_form"] = plan_form or PlanForm()
    return render(request, "alerts/case.html", context)


@require_role(LEAD)
@require_POST
def case_open(request: HttpRequest, year: int, round: str, county: str) -> HttpResponse:
    rnd = get_round_or_404(year, round, kind=Round.Kind.PRE)
    found = get_county_for_user(request.user, county)
    try:
        case = open_case(round=rnd, county=found, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("alerts:round_summary", year=year, round=rnd.code)
    return redirect("alerts:case", case=case.pk)


@require_role(*ALL_ROLES)
@require_safe
def case_detail(request: HttpRequest, case: int) -> HttpResponse:
    found = get_case_for_user(request.user, case)
    mark_case_read(case=found, user=request.user)
    return _page(request, found)


@require_role(LEAD)
@require_POST
def case_update(request: HttpRequest, case: int) -> HttpResponse:
    found = get_case_for_user(request.user, case)
    form = CaseForm(request.POST, instance=DiagnosisCase.objects.get(pk=found.pk))
    if not form.is_valid():
        return _page(request, found, case_form=form)
    data = dict(form.cleaned_data)
    try:
        update_case(case=found, actor=request.user, experts=data.pop("experts"), **data)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The case was saved."))
    return redirect("alerts:case", case=found.pk)


@require_role(LEAD)
@require_POST
def case_send(request: HttpRequest, case: int) -> HttpResponse:
    found = get_case_for_user(request.user, case)
    try:
        send_recommendations(case=found, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The recommendations were sent to the county."))
    return redirect("alerts:case", case=found.pk)


@require_role(COUNTY)
@require_POST
def case_plan(request: HttpRequest, case: int) -> HttpResponse:
    found = get_case_for_user(request.user, case)
    if found.status == DiagnosisCase.Status.OPEN:
        messages.error(request, _("The recommendations have not been sent yet."))
        return redirect("alerts:case", case=found.pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _page(request, found, plan_form=form)
    try:
        rect = submit_plan(actor=request.user, case=found, **form.cleaned_data)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("alerts:case", case=found.pk)
    messages.success(request, PLAN_SUBMITTED % {"deadline": rect.deadline.isoformat()})
    return redirect("alerts:rectification", rectification=rect.pk)
