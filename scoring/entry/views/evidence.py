"""Evidence materials: a county uploads files per indicator and round; the county itself,
the indicator's unit and the lead department read them, through a view that checks access."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import ALL_ROLES, COUNTY, get_cycle_or_404, get_round_or_404, require_role
from assessment.models import Round
from assessment.review.services import Locked
from assessment.uploads import file_response
from scoring.access import get_evidence_for_user
from scoring.entry.evidence import delete_evidence, evidence_lock, upload_evidence
from scoring.forms import EvidenceForm
from scoring.models import Evidence


@require_role(*ALL_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_list(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """A round's evidence: a county's own (and its upload form), a unit's indicators', all
    for the lead department."""
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    user = request.user
    files = Evidence.objects.filter(round=rnd).select_related("indicator", "county", "uploaded_by")
    if user.is_county:
        files = files.filter(county_id=user.county_id)
    elif user.is_unit:
        files = files.filter(indicator__unit_id=user.unit_id)
    form = EvidenceForm(cycle=cycle) if user.is_county else None
    if request.method == "POST":
        if not user.is_county:
            return HttpResponse(status=403)
        form = EvidenceForm(request.POST, request.FILES, cycle=cycle)
        if form.is_valid():
            try:
                upload_evidence(
                    round=rnd, indicator=form.cleaned_data["indicator"], county=user.county,
                    upload=form.cleaned_data["file"], note=form.cleaned_data["note"], actor=user,
                )  # fmt: skip
            except Locked as exc:
                messages.error(request, exc.lock.message)
            else:
                messages.success(request, _("The file is uploaded."))
            return redirect(request.path)
    context = {
        "cycle": cycle,
        "round": rnd,
        "rounds": list(cycle.rounds.order_by("closes_on", "code")),
        "files": files.order_by("indicator__order", "indicator__code", "county__code", "-id"),
        "form": form,
        "lock": evidence_lock(rnd),
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "scoring/evidence.html", context, status=status)


@require_role(*ALL_ROLES)
@require_safe
def evidence_download(request: HttpRequest, evidence: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, evidence)
    return file_response(evidence.file, evidence.name)


@require_role(COUNTY)
@require_POST
def evidence_delete(request: HttpRequest, evidence: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, evidence)
    rnd = evidence.round
    try:
        delete_evidence(evidence=evidence, actor=request.user)
    except Locked as exc:
        messages.error(request, exc.lock.message)
    else:
        messages.success(request, _("The file is removed."))
    return redirect("scoring:evidence", year=rnd.cycle.year, round=rnd.code)


@require_role(*ALL_ROLES)
@require_safe
def evidence_index(request: HttpRequest, year: int) -> HttpResponse:
    """The evidence of the year's open round (else its latest round)."""
    cycle = get_cycle_or_404(year)
    rounds = list(cycle.rounds.order_by("closes_on", "code"))
    if not rounds:
        raise Http404
    current = next((r for r in rounds if r.status == Round.Status.OPEN), rounds[-1])
    return redirect("scoring:evidence", year=year, round=current.code)
