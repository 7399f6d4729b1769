"""Access to the objects of scoring that belong to someone: evidence materials."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessment.models import User
from scoring.models import Evidence


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    """A piece of evidence as ``user`` may see it: the lead department any, a unit only on
    its own indicators, a county only its own; anyone else gets 404."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("indicator", "county", "round__cycle"), pk=pk
    )
    if user.is_lead:
        return evidence
    if user.is_unit and evidence.indicator.unit_id == user.unit_id:
        return evidence
    if user.is_county and evidence.county_id == user.county_id:
        return evidence
    raise Http404
