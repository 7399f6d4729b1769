"""Special assessments: the year's tasks, and each task's evaluations and points."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.governance import assessors, special
from assessment.governance.forms import SpecialScoreForm, SpecialTaskForm
from assessment.governance.views import all_years
from assessment.models import Assessor, SpecialTask
from assessment.services import ensure_cycle_writable


@require_role(LEAD)
def special_tasks(request: HttpRequest, year: int) -> HttpResponse:
    """The special assessments of a year and the form that defines one."""
    cycle = get_cycle_or_404(year)
    form = SpecialTaskForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and _writable(request, cycle) and form.is_valid():
        with transaction.atomic():
            task = form.save()
            assessors.special_team(
                task=task, members=form.cleaned_data["experts"], actor=request.user
            )
        messages.success(request, _("Special assessment “%(name)s” created.") % {
            "name": task.name,
        })  # fmt: skip
        return redirect("assessment:special_task", year=year, task=task.pk)
    tasks = (
        SpecialTask.objects.filter(cycle=cycle)
        .select_related("team")
        .prefetch_related("counties", "scores", "team__members")
        .order_by("starts_on", "id")
    )
    return render(
        request,
        "assessment/special_tasks.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "tasks": tasks,
            "adjustments": special.county_adjustments(cycle, cycle.counties.order_by("code")),
        },
    )


def _writable(request: HttpRequest, cycle) -> bool:
    """False, with a message saying why, when the year is archived."""
    try:
        ensure_cycle_writable(cycle, refusal=ValidationError)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True


def _county_says(county, problems) -> str:
    return _("%(county)s: %(problems)s") % {"county": county.name, "problems": " ".join(problems)}


def _task(year: int, pk: int) -> SpecialTask:
    return get_object_or_404(SpecialTask.objects.select_related("cycle"), pk=pk, cycle__year=year)


@require_role(LEAD)
def special_task(request: HttpRequest, year: int, task: int) -> HttpResponse:
    """A task's involved counties, each with its evaluation and points (one form a row)."""
    task = _task(year, task)
    scores = {s.county_id: s for s in task.scores.all()}
    rows = []
    for county in task.counties.order_by("code"):
        score = scores.get(county.pk)
        initial = {"evaluation": score.evaluation, "points": score.points} if score else {}
        rows.append((county, score, SpecialScoreForm(initial=initial, prefix=county.code)))
    return render(
        request,
        "assessment/special_task.html",
        {
            "task": task,
            "cycle": task.cycle,
            "rows": rows,
            "edit_form": SpecialTaskForm(instance=task, cycle=task.cycle),
            "experts": Assessor.objects.filter(teams__special_task=task).order_by("name"),
            "adjustments": special.county_adjustments(task.cycle, task.counties.order_by("code")),
        },
    )


@require_role(LEAD)
@require_POST
def special_task_edit(request: HttpRequest, year: int, task: int) -> HttpResponse:
    task = _task(year, task)
    form = SpecialTaskForm(request.POST, instance=task, cycle=task.cycle)
    if _writable(request, task.cycle):
        if form.is_valid():
            with transaction.atomic():
                form.save()
                special.refresh_reasons(task=task, actor=request.user)
                assessors.special_team(
                    task=task, members=form.cleaned_data["experts"], actor=request.user
                )
            messages.success(
                request, _("Special assessment “%(name)s” saved.") % {"name": task.name}
            )
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
    return redirect("assessment:special_task", year=year, task=task.pk)


@require_role(LEAD)
@require_POST
def special_score(request: HttpRequest, year: int, task: int, county: str) -> HttpResponse:
    """Save one involved county's evaluation and points; they become its adjustment."""
    task = _task(year, task)
    county_obj = get_object_or_404(task.counties, code=county)
    form = SpecialScoreForm(request.POST, prefix=county_obj.code)
    if form.is_valid():
        try:
            special.record_score(
                task=task, county=county_obj, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _county_says(county_obj, exc.messages))
        else:
            messages.success(request, _("%(county)s: %(points)s points recorded.") % {
                "county": county_obj.name, "points": form.cleaned_data["points"],
            })  # fmt: skip
    else:
        for errors in form.errors.values():
            messages.error(request, _county_says(county_obj, errors))
    return redirect("assessment:special_task", year=year, task=task.pk)
