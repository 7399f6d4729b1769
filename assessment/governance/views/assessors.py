"""Pages of the assessors (考核人员队伍), lead department only: the roster, one assessor with
their former postings, trainings and teams, and the teams of a year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.governance import assessors
from assessment.governance.assessor_forms import (
    AssessorForm,
    PostingForm,
    TeamForm,
    TrainingForm,
)
from assessment.governance.views import all_years
from assessment.models import AssessmentTeam, Assessor


@require_role(LEAD)
def assessor_list(request: HttpRequest) -> HttpResponse:
    """The roster (full- and part-time, lead department and units) and the form adding one."""
    form = AssessorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessor = form.save()
        messages.success(request, _("%(name)s is on the roster.") % {"name": assessor.name})
        return redirect("assessment:assessor", assessor=assessor.pk)
    rows = (
        Assessor.objects.select_related("unit", "home_county")
        .annotate(
            training_count=Count("trainings", distinct=True),
            team_count=Count("teams", distinct=True),
        )
        .order_by("-active", "kind", "name", "id")
    )
    return render(request, "assessment/assessors.html", {"assessors": rows, "form": form})


FORMS = {"assessor": AssessorForm, "posting": PostingForm, "training": TrainingForm}


@require_role(LEAD)
def assessor_detail(request: HttpRequest, assessor: int) -> HttpResponse:
    """One assessor: edit, add a former posting or a training; their teams."""
    person = get_object_or_404(Assessor.objects.select_related("unit", "home_county"), pk=assessor)
    posted = request.POST.get("form") if request.method == "POST" else None
    forms = {
        name: form_class(
            request.POST if posted == name else None,
            instance=person if name == "assessor" else None,
            prefix=name,
        )
        for name, form_class in FORMS.items()
    }
    form = forms.get(posted)
    if form is not None and form.is_valid():
        obj = form.save(commit=False)
        if posted != "assessor":
            obj.assessor = person
        obj.save()
        messages.success(request, _("Saved."))
        return redirect("assessment:assessor", assessor=person.pk)
    teams = person.teams.select_related("cycle", "leader").prefetch_related("counties")
    return render(
        request,
        "assessment/assessor.html",
        {
            "person": person,
            "forms": forms,
            "postings": person.postings.select_related("county"),
            "trainings": person.trainings.all(),
            "teams": teams.order_by("-cycle__year", "kind", "id"),
            "recent_years": assessors.RECENT_YEARS,
        },
    )


def _team_rows(cycle):
    return (
        AssessmentTeam.objects.filter(cycle=cycle)
        .select_related("leader", "special_task", "pledge_check__item")
        .prefetch_related("members", "counties")
        .order_by("kind", "id")
    )


def _assign(request, form, *, cycle, team=None) -> AssessmentTeam | None:
    """Save the team of a valid TeamForm; None, with the reasons on the form, when refused."""
    data = form.cleaned_data
    try:
        return assessors.assign_team(
            cycle=cycle, kind=data["kind"], name=data["name"], members=data["members"],
            counties=data["counties"], leader=data["leader"], pledge_check=data["pledge_check"],
            team=team, actor=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@require_role(LEAD)
def teams(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment teams of a year, and the form that makes one (conflicts refused)."""
    cycle = get_cycle_or_404(year)
    form = TeamForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid() and _assign(request, form, cycle=cycle):
        messages.success(request, _("Team “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
        return redirect("assessment:teams", year=year)
    return render(
        request,
        "assessment/teams.html",
        {"cycle": cycle, "years": all_years(), "form": form, "teams": _team_rows(cycle)},
    )


@require_role(LEAD)
def team(request: HttpRequest, year: int, team: int) -> HttpResponse:
    """One team of the annual assessment or a spot check: change it, or dissolve it."""
    cycle = get_cycle_or_404(year)
    found = get_object_or_404(
        AssessmentTeam.objects.filter(
            kind__in=[AssessmentTeam.Kind.ANNUAL, AssessmentTeam.Kind.SPOT_CHECK]
        ),
        pk=team,
        cycle=cycle,
    )
    if request.method == "POST" and "dissolve" in request.POST:
        try:
            assessors.dissolve_team(team=found, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessment:team", year=year, team=found.pk)
        messages.success(request, _("Team “%(name)s” dissolved.") % {"name": found.name})
        return redirect("assessment:teams", year=year)
    initial = {
        "kind": found.kind, "name": found.name, "pledge_check": found.pledge_check_id,
        "counties": found.counties.all(), "members": found.members.all(),
        "leader": found.leader_id,
    }  # fmt: skip
    form = TeamForm(request.POST or None, cycle=cycle, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _assign(request, form, cycle=cycle, team=found)
    ):
        messages.success(request, _("Team “%(name)s” saved.") % {"name": found.name})
        return redirect("assessment:teams", year=year)
    return render(request, "assessment/team.html", {"cycle": cycle, "team": found, "form": form})
