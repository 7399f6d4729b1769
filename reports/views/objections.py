"""Objections: the county lodges, the unit answers, the lead department decides."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import (
    ALL_ROLES,
    COUNTY,
    LEAD,
    UNIT,
    get_cycle_or_404,
    request_cycle,
    require_role,
)
from assessment.models import Cycle, User
from assessment.refusals import Refused
from assessment.uploads import file_response
from indicators.models import RuleItem
from reports.access import get_objection_for_user
from reports.forms import AnswerForm, DecisionForm, ObjectionForm
from reports.models import Objection, Publication
from reports.objections import answer, decide, lodge, objection_deadline, preview_decision
from scoring.models import AnnualInput, IndicatorResult


def _visible(user: User, queryset):
    if user.is_county:
        return queryset.filter(county_id=user.county_id)
    if user.is_unit:
        return queryset.filter(indicator__unit_id=user.unit_id)
    return queryset


@require_role(*ALL_ROLES)
@require_safe
def objection_list(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    objections = _visible(
        request.user,
        Objection.objects.filter(cycle=cycle).select_related("county", "indicator__unit"),
    )
    deadline = objection_deadline(Publication.objects.filter(cycle=cycle).first())
    return render(
        request,
        "reports/objections.html",
        {"cycle": cycle, "objections": list(objections), "deadline": deadline},
    )


@require_role(*ALL_ROLES)
@require_safe
def latest_objections(request: HttpRequest) -> HttpResponse:
    """The objections of the latest published year (else the current cycle)."""
    cycle = Cycle.objects.filter(publication__published=True).order_by(
        "-year"
    ).first() or request_cycle(request)
    if cycle is None:
        return redirect("home")
    return redirect("reports:objections", year=cycle.year)


@require_role(COUNTY)
@require_http_methods(["GET", "POST"])
def objection_new(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    deadline = objection_deadline(Publication.objects.filter(cycle=cycle).first())
    form = ObjectionForm(request.POST or None, request.FILES or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            objection = lodge(
                cycle=cycle,
                county=request.user.county,
                indicator=form.cleaned_data["indicator"],
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your objection has been lodged."))
            return redirect("reports:objection", objection=objection.pk)
    return render(
        request, "reports/objection_new.html", {"cycle": cycle, "form": form, "deadline": deadline}
    )


@require_role(*ALL_ROLES)
@require_safe
def objection_detail(request: HttpRequest, objection: int) -> HttpResponse:
    obj = get_objection_for_user(request.user, objection)
    context = {"objection": obj, "cycle": obj.cycle}
    if obj.is_open and request.user.is_unit:
        context["answer_form"] = AnswerForm(initial={"answer": obj.answer})
    if obj.is_open and request.user.is_lead:
        context["decision_form"] = DecisionForm(indicator=obj.indicator)
        context["current"] = current_figures(obj)
    return render(request, "reports/objection.html", context)


def current_figures(obj: Objection) -> dict:
    """What the lead department decides on: the county's current actual and target of each
    rule item of the objected indicator, and its current points there (None before a
    computation). Three queries."""
    inputs = {
        i.item_id: i
        for i in AnnualInput.objects.filter(county=obj.county, item__indicator=obj.indicator)
    }
    result = IndicatorResult.objects.filter(
        cycle=obj.cycle, county=obj.county, indicator=obj.indicator
    ).first()
    items = RuleItem.objects.filter(indicator=obj.indicator).order_by("order", "code")
    return {
        "items": [(item, inputs.get(item.pk)) for item in items],
        "points": result.points if result else None,
    }


@require_role(UNIT)
@require_POST
def objection_answer(request: HttpRequest, objection: int) -> HttpResponse:
    obj = get_objection_for_user(request.user, objection)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer(objection=obj, text=form.cleaned_data["answer"], actor=request.user)
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect("reports:objection", objection=obj.pk)
    return render(
        request,
        "reports/objection.html",
        {"objection": obj, "cycle": obj.cycle, "answer_form": form},
    )


@require_role(LEAD)
@require_POST
def objection_decide(request: HttpRequest, objection: int) -> HttpResponse:
    """A valid decision is first shown with what it will change (the corrected input, the
    county's points on the indicator, its total and rank, from the engine); it is recorded
    when the lead department confirms (the same fields posted again with ``confirm``)."""
    obj = get_objection_for_user(request.user, objection)
    form = DecisionForm(request.POST, indicator=obj.indicator)
    if "edit" in request.POST:
        form.is_valid()  # re-shown as entered
    elif form.is_valid() and "confirm" not in request.POST:
        data = form.cleaned_data
        try:
            preview = preview_decision(
                objection=obj,
                upheld=data["upheld"],
                item=data["item"],
                actual=data["actual"],
                target=data["target"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            return render(
                request,
                "reports/objection_decide.html",
                {"objection": obj, "cycle": obj.cycle, "form": form, "preview": preview},
            )
    elif form.is_valid():
        data = form.cleaned_data
        try:
            decide(
                objection=obj,
                upheld=data["upheld"],
                reason=data["reason"],
                actor=request.user,
                item=data["item"],
                actual=data["actual"],
                target=data["target"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("reports:objection", objection=obj.pk)
    return render(
        request,
        "reports/objection.html",
        {
            "objection": obj,
            "cycle": obj.cycle,
            "decision_form": form,
            "current": current_figures(obj),
        },
    )


@require_role(*ALL_ROLES)
@require_safe
def objection_evidence(request: HttpRequest, objection: int) -> HttpResponse:
    obj = get_objection_for_user(request.user, objection)
    if not obj.evidence:
        raise Http404
    return file_response(obj.evidence, obj.evidence_name or obj.evidence.name)
