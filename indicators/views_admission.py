"""Indicator admission (准入): proposals, their review, the decision, and their admission
into a draft year. Units see their own proposals; the lead department sees all."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import LEAD, UNIT, require_role
from indicators.access import get_proposal_for_user
from indicators.forms_years import (
    AddToCycleForm,
    ProposalDecisionForm,
    ProposalForm,
    ProposalReviewForm,
)
from indicators.models import IndicatorProposal
from indicators.services import admission


@require_role(LEAD, UNIT)
def proposals(request: HttpRequest) -> HttpResponse:
    """The proposals (a unit's own, or all for the lead department); a unit proposes here."""
    user = request.user
    form = ProposalForm(request.POST or None) if user.is_unit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            proposal = form.save(commit=False)
            proposal.unit = user.unit
            admission.submit_proposal(proposal=proposal, actor=user)
            messages.success(request, _("Proposal “%(name)s” submitted.") % {"name": proposal.name})
            return redirect("indicators:proposal", proposal=proposal.pk)
    rows = IndicatorProposal.objects.select_related("unit", "indicator__cycle")
    if user.is_unit:
        rows = rows.filter(unit=user.unit)
    return render(
        request,
        "indicators/proposals.html",
        {"proposals": rows, "form": form, "approver": admission.is_approver(user)},
    )


@require_role(LEAD, UNIT)
def proposal(request: HttpRequest, proposal: int) -> HttpResponse:
    """A proposal with its whole history and the step its reader may take next."""
    item = get_proposal_for_user(request.user, proposal)
    user = request.user
    status = IndicatorProposal.Status
    context = {
        "proposal": item,
        "events": item.events.select_related("actor"),
        "review_form": ProposalReviewForm()
        if user.is_lead and item.status == status.SUBMITTED
        else None,
        "decision_form": (
            ProposalDecisionForm()
            if item.status == status.REVIEWED and admission.is_approver(user)
            else None
        ),
        "add_form": AddToCycleForm() if user.is_lead and item.status == status.APPROVED else None,
    }
    return render(request, "indicators/proposal.html", context)


def _act(request: HttpRequest, item: IndicatorProposal, step) -> HttpResponse:
    try:
        step()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Proposal “%(name)s”: %(status)s.") % {
            "name": item.name, "status": item.get_status_display(),
        })  # fmt: skip
    return redirect("indicators:proposal", proposal=item.pk)


@require_role(LEAD)
@require_POST
def proposal_review(request: HttpRequest, proposal: int) -> HttpResponse:
    item = get_proposal_for_user(request.user, proposal)
    form = ProposalReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        item,
        lambda: admission.review_proposal(proposal=item, comment=comment, actor=request.user),
    )


@require_role(LEAD)
@require_POST
def proposal_decide(request: HttpRequest, proposal: int) -> HttpResponse:
    item = get_proposal_for_user(request.user, proposal)
    if not admission.is_approver(request.user):
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject."))
        return redirect("indicators:proposal", proposal=item.pk)
    return _act(
        request,
        item,
        lambda: admission.decide_proposal(
            proposal=item,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            actor=request.user,
        ),
    )


@require_role(LEAD)
@require_POST
def proposal_add(request: HttpRequest, proposal: int) -> HttpResponse:
    item = get_proposal_for_user(request.user, proposal)
    form = AddToCycleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("indicators:proposal", proposal=item.pk)
    category = form.cleaned_data["category"]
    return _act(
        request,
        item,
        lambda: admission.add_to_cycle(
            proposal=item,
            cycle=category.cycle,
            code=form.cleaned_data["code"].strip(),
            category=category,
            actor=request.user,
        ),
    )
