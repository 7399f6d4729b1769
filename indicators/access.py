"""Access to indicators: the helper every page that opens one indicator uses."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessment.models import Cycle, User
from indicators.models import Indicator


def get_indicator_for_user(user: User, cycle: Cycle, code: str, *, write: bool = False):
    """The indicator ``code`` of ``cycle`` as ``user`` may use it.

    Reading: every role (the rules are public within the city and in the counties' booklet).
    Writing: the lead department any indicator, a unit only its own — another unit's indicator
    is 404, as if it did not exist — and a county none (403, it only reads the booklet).
    """
    indicator = get_object_or_404(
        Indicator.objects.select_related("unit", "category"), cycle=cycle, code=code
    )
    if not write or user.is_lead:
        return indicator
    if user.is_unit:
        if indicator.unit_id != user.unit_id:
            raise Http404
        return indicator
    raise PermissionDenied


def get_proposal_for_user(user: User, pk: int):
    """The indicator proposal ``pk`` as ``user`` may read it: the lead department any, a
    unit its own (another unit's is 404), a county none (403)."""
    from indicators.models import IndicatorProposal

    if user.is_county:
        raise PermissionDenied
    proposal = get_object_or_404(IndicatorProposal.objects.select_related("unit"), pk=pk)
    if user.is_unit and proposal.unit_id != user.unit_id:
        raise Http404
    return proposal
