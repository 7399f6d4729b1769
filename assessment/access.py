"""Who may see and change what: the access helpers every view of every app uses.

Views declare their roles with :func:`require_role` (functions) or :class:`RoleRequiredMixin`
(classes); objects are fetched through one helper per type that returns the object or raises
404 for an outsider (so that a page never confirms that someone else's object exists) and 403
for a user who may read but not write it. The helpers of the frame's objects (cycles,
counties, units) are here; each higher app keeps those of its own objects in its
``access.py``, built on these (``indicators.access.get_indicator_for_user``).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from assessment.jobs.models import FileJob
from assessment.models import County, Cycle, Round, User

LEAD, UNIT, COUNTY = User.Role.LEAD, User.Role.UNIT, User.Role.COUNTY
ALL_ROLES = (LEAD, UNIT, COUNTY)


def check_role(request: HttpRequest, roles: tuple[str, ...]) -> HttpResponse | None:
    """A login redirect for an anonymous user, 403 for a wrong role, None when allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role not in roles:
        raise PermissionDenied
    return None


def require_role(*roles: str) -> Callable:
    """Decorate a function view: anonymous → login redirect, another role → 403.

    The roles are kept on the view as ``access_roles`` so that tests and tools can read them.
    """
    if not roles or any(role not in ALL_ROLES for role in roles):
        raise ValueError(f"require_role needs roles among {ALL_ROLES}, got {roles}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            denied = check_role(request, roles)
            if denied is not None:
                return denied
            return view(request, *args, **kwargs)

        wrapped.access_roles = roles
        return wrapped

    return decorator


class RoleRequiredMixin:
    """The class-based twin of :func:`require_role`: set ``access_roles`` on the view."""

    access_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.access_roles:
            raise PermissionDenied
        denied = check_role(request, self.access_roles)
        if denied is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)


def current_cycle() -> Cycle | None:
    """The cycle the pages open on: the latest active one, else the latest; None if none."""
    return (
        Cycle.objects.filter(status=Cycle.Status.ACTIVE).order_by("-year").first()
        or Cycle.objects.order_by("-year").first()
    )


def request_cycle(request: HttpRequest) -> Cycle | None:
    """:func:`current_cycle`, looked up once per request: the page and its navigation share it."""
    if not hasattr(request, "_current_cycle"):
        request._current_cycle = current_cycle()
    return request._current_cycle


def get_cycle_or_404(year: int) -> Cycle:
    """The cycle of ``year``. Cycles are not secret: every signed-in role may name one."""
    return get_object_or_404(Cycle, year=year)


def get_round_or_404(year: int, code: str, *, kind: str | None = None) -> Round:
    """The round ``code`` of the cycle ``year`` (of ``kind`` when given), with its cycle.
    Rounds are not secret: every role that may open a page may name one; the pages filter
    what they show of it by the user."""
    filters = {"kind": kind} if kind is not None else {}
    return get_object_or_404(
        Round.objects.select_related("cycle"), cycle__year=year, code=code, **filters
    )


def get_county_for_user(user: User, code: str) -> County:
    """The county ``code`` for ``user``: the lead and the units see every county (units enter
    the data of all of them); a county user sees only its own, any other is 404."""
    county = get_object_or_404(County, code=code)
    if user.is_county and county.pk != user.county_id:
        raise Http404
    return county


def get_job_for_user(user: User, pk: int, **filters) -> FileJob:
    """A file job as ``user`` may see it: the lead department every job (the department
    works as one), a unit only its own jobs (its round workbook's); anyone else gets 404."""
    job = get_object_or_404(FileJob.objects.select_related("created_by", "unit"), pk=pk, **filters)
    # A unit user always has a unit (a check constraint): a job without one is never theirs.
    if user.is_lead or (user.is_unit and job.unit_id == user.unit_id):
        return job
    raise Http404


def get_job_to_confirm(user: User, pk: int, **filters) -> FileJob:
    """A file job awaiting a confirmation, as its starter may confirm it: 404 to whoever may
    not see it (:func:`get_job_for_user`), 403 to anyone else who may (another lead user
    reads the job; only the person who started it confirms what it found)."""
    job = get_job_for_user(user, pk, **filters)
    if job.created_by_id != user.pk:
        raise PermissionDenied
    return job
