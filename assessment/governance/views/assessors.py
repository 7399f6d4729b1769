"""Pages of the assessors (考核人员队伍), lead department only: the roster, one assessor with
their former postings, trainings and teams, and the teams of a year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.governance import assessors
from assessment.governance.assessor_forms import (
    AssessorForm,
    PostingForm,
    TeamForm,
    TrainingForm,
)
from assessment.governance.views import all_years, confirm_page
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


def _team(year: int, pk: int) -> AssessmentTeam:
    """A team of the annual assessment or a spot check of ``year`` (the others follow their
    special assessment or diagnosis case)."""
    return get_object_or_404(
        AssessmentTeam.objects.filter(
            kind__in=[AssessmentTeam.Kind.ANNUAL, AssessmentTeam.Kind.SPOT_CHECK]
        ).select_related("cycle", "pledge_check"),
        pk=pk,
        cycle__year=year,
    )


@require_role(LEAD)
def team(request: HttpRequest, year: int, team: int) -> HttpResponse:
    """One team of the annual assessment or a spot check: change it (dissolving it has its own
    confirmation page)."""
    found = _team(year, team)
    cycle = found.cycle
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


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def team_dissolve(request: HttpRequest, year: int, team: int) -> HttpResponse:
    """GET: what dissolving the team will change, to confirm; POST: dissolve it."""
    found = _team(year, team)
    if request.method != "POST":
        return confirm_page(
            request,
            cycle=found.cycle,
            title=_("Dissolve the team “%(name)s”") % {"name": found.name},
            changes=_dissolve_changes(found),
            confirm=_("Confirm: dissolve the team"),
            back=(found.name, reverse("assessment:team", kwargs={"year": year, "team": found.pk})),
        )
    try:
        assessors.dissolve_team(team=found, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessment:team", year=year, team=found.pk)
    messages.success(request, _("Team “%(name)s” dissolved.") % {"name": found.name})
    return redirect("assessment:teams", year=year)


def _dissolve_changes(found: AssessmentTeam) -> list[str]:
    """What dissolving ``found`` changes, in the words of the confirmation page."""
    members = sorted(person.name for person in found.members.all())
    counties = [county.name for county in found.counties.order_by("code")]
    changes = [
        _("The team “%(name)s” (%(kind)s) of %(year)s is deleted.")
        % {"name": found.name, "kind": found.get_kind_display(), "year": found.cycle.year},
    ]
    if members:
        changes.append(
            ngettext(
                "Its %(n)d member stays on the roster: %(names)s.",
                "Its %(n)d members stay on the roster: %(names)s.",
                len(members),
            )
            % {"n": len(members), "names": "、".join(members)}
        )
    if counties:
        changes.append(
            ngettext(
                "%(n)d county no longer has this team: %(names)s.",
                "%(n)d counties no longer have this team: %(names)s.",
                len(counties),
            )
            % {"n": len(counties), "names": "、".join(counties)}
        )
    if found.pledge_check is not None:
        changes.append(
            _("The spot check of %(date)s stays recorded, without a team.")
            % {"date": f"{found.pledge_check.checked_on:%Y-%m-%d}"}
        )
    changes.append(_("The dissolution is recorded in the audit log; it cannot be undone."))
    return changes
