"""Access to the objects of reports that belong to someone: an objection. The helper returns
the object or raises 404 for an outsider."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessment.models import User
from reports.models import Objection


def get_objection_for_user(user: User, pk: int) -> Objection:
    """The objection ``pk`` for ``user``: the lead department any; a county its own; a unit
    those on its indicators. Anyone else gets 404."""
    objection = get_object_or_404(
        Objection.objects.select_related(
            "cycle", "county", "indicator__unit", "lodged_by", "answered_by", "decided_by"
        ),
        pk=pk,
    )
    if user.is_county and objection.county_id != user.county_id:
        raise Http404
    if user.is_unit and objection.indicator.unit_id != user.unit_id:
        raise Http404
    return objection
