"""Pages of the units' evaluation opinions (评价意见): a unit writes and submits its evaluation
of each county after the annual round; the lead department reviews (publishes, returns with a
comment, reopens with a reason). A county reads the published ones on its feedback page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import LEAD, UNIT, get_county_for_user, get_cycle_or_404, require_role
from assessment.models import Unit
from assessment.refusals import Refused
from assessment.review.forms import CommentForm, ReasonForm
from assessment.review.views import ReviewPanel, review_action
from indicators.forms import EvaluationForm
from indicators.models import UnitEvaluation
from indicators.services import evaluations as service


@require_role(LEAD, UNIT)
def evaluations(request: HttpRequest, year: int) -> HttpResponse:
    """A unit: each county of the year with its evaluation's status. The lead department:
    every evaluation written, those waiting for review first."""
    cycle = get_cycle_or_404(year)
    rows = UnitEvaluation.objects.filter(cycle=cycle).select_related("unit", "county")
    context = {"cycle": cycle, "round_open": service.annual_round_open(cycle)}
    if request.user.is_unit:
        written = {e.county_id: e for e in rows.filter(unit_id=request.user.unit_id)}
        context["counties"] = [(c, written.get(c.pk)) for c in cycle.counties.order_by("code")]
        context["evaluates"] = (
            service.evaluating_units(cycle).filter(pk=request.user.unit_id).exists()
        )
    else:
        order = {UnitEvaluation.Status.SUBMITTED: 0}
        context["rows"] = sorted(
            rows, key=lambda e: (order.get(e.status, 1), e.unit.code, e.county.code)
        )
    return render(request, "indicators/evaluations.html", context)


def _target(request: HttpRequest, year: int, unit: str, county: str):
    """The cycle, unit and county an evaluation page names, as ``request.user`` may open it:
    a unit only its own evaluations (another unit's is 404), and only in a year it has
    indicators in."""
    cycle = get_cycle_or_404(year)
    unit_obj = get_object_or_404(Unit, code=unit)
    if request.user.is_unit and unit_obj.pk != request.user.unit_id:
        raise Http404
    if not service.evaluating_units(cycle).filter(pk=unit_obj.pk).exists():
        raise Http404
    county_obj = get_county_for_user(request.user, county)
    if not cycle.counties.filter(pk=county_obj.pk).exists():
        raise Http404
    return cycle, unit_obj, county_obj


@require_role(LEAD, UNIT)
def evaluation(request: HttpRequest, year: int, unit: str, county: str) -> HttpResponse:
    """The unit writes, saves and submits its evaluation; the lead department reads and
    reviews it."""
    cycle, unit_obj, county_obj = _target(request, year, unit, county)
    found = service.get_evaluation(cycle=cycle, unit=unit_obj, county=county_obj)
    form = EvaluationForm(request.POST or None, instance=found)
    if request.method == "POST":
        if not request.user.is_unit:
            raise PermissionDenied
        if form.is_valid():
            try:
                saved = service.save_evaluation(
                    cycle=cycle, unit=unit_obj, county=county_obj, actor=request.user,
                    **form.cleaned_data,
                )  # fmt: skip
                if "submit" in request.POST:
                    service.submit_evaluation(evaluation=saved, actor=request.user)
                    messages.success(request, _("The evaluation is submitted for review."))
                else:
                    messages.success(request, _("The evaluation is saved."))
            except Refused as exc:
                messages.error(request, str(exc))
            else:
                return redirect(request.path)
    return render(
        request,
        "indicators/evaluation.html",
        {
            "cycle": cycle,
            "unit": unit_obj,
            "county": county_obj,
            "evaluation": found,
            "form": form,
            "lock": service.evaluation_lock(found),
            # An archived year's evaluations stay as they were: no review panel.
            "review": _review_panel(found)
            if request.user.is_lead and found.cycle.status != found.cycle.Status.ARCHIVED
            else None,
        },
    )


def _review_panel(found: UnitEvaluation) -> ReviewPanel:
    kwargs = {"year": found.cycle.year, "unit": found.unit.code, "county": found.county.code}
    return ReviewPanel(
        status=found.status,
        approve_url=reverse("indicators:evaluation_approve", kwargs=kwargs),
        return_url=reverse("indicators:evaluation_return", kwargs=kwargs),
        reopen_url=reverse("indicators:evaluation_reopen", kwargs=kwargs),
        approve_label=_("Publish the evaluation"),
        approve_hint=_("Published, it shows on the county's feedback page with the unit's name."),
        nothing=_("Nothing to review: the unit has not submitted this evaluation."),
        heading_id="evaluation-review-title",
    )


def _review(request, year, unit, county, action, form_class=None) -> HttpResponse:
    found = get_object_or_404(
        UnitEvaluation.objects.select_related("cycle", "unit", "county"),
        cycle__year=year, unit__code=unit, county__code=county,
    )  # fmt: skip
    review_action(
        request,
        lambda **kwargs: action(evaluation=found, **kwargs),
        form_class=form_class,
        done=lambda: (
            _("Evaluation of %(county)s by %(unit)s: %(status)s.")
            % {
                "county": found.county.name,
                "unit": found.unit.name,
                "status": UnitEvaluation.objects.get(pk=found.pk).get_status_display(),
            }
        ),
    )
    return redirect("indicators:evaluation", year=year, unit=unit, county=county)


@require_role(LEAD)
@require_POST
def evaluation_approve(request: HttpRequest, year: int, unit: str, county: str) -> HttpResponse:
    return _review(request, year, unit, county, service.approve_evaluation)


@require_role(LEAD)
@require_POST
def evaluation_return(request: HttpRequest, year: int, unit: str, county: str) -> HttpResponse:
    return _review(request, year, unit, county, service.return_evaluation, CommentForm)


@require_role(LEAD)
@require_POST
def evaluation_reopen(request: HttpRequest, year: int, unit: str, county: str) -> HttpResponse:
    return _review(request, year, unit, county, service.reopen_evaluation, ReasonForm)
