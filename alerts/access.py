"""Access to the objects of alerts that belong to someone: a warning, a diagnosis case, a
rectification. Each helper returns the object or raises 404 for an outsider (a page never
confirms that someone else's object exists)."""

from django.http import Http404

from alerts.delivery import warnings_for
from alerts.diagnosis import visible_cases
from alerts.models import DiagnosisCase, Rectification, Warning
from alerts.rectifications import visible_rectifications
from assessment.models import User


def get_warning_for_user(user: User, pk: int) -> Warning:
    """The warning ``pk`` (current or replaced) if ``user`` may see it, else 404."""
    qs = Warning.objects.select_related("round", "cycle", "county", "indicator__unit")
    warning = warnings_for(user, qs).filter(pk=pk).first()
    if warning is None:
        raise Http404
    return warning


def get_case_for_user(user: User, pk: int) -> DiagnosisCase:
    """A diagnosis case as ``user`` may see it (the lead department, its county, its experts);
    anyone else gets 404."""
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def get_rectification_for_user(user: User, pk: int) -> Rectification:
    """A rectification as ``user`` may see it (as its warning or case); anyone else gets 404."""
    rect = visible_rectifications(user).filter(pk=pk).first()
    if rect is None:
        raise Http404
    return rect
