"""The kinds of file job, registered by the apps that own the files (pretix's exporters
register so too): each app registers its kinds in its ``AppConfig.ready`` with
:func:`register_kind`, and this layer never imports them. A new kind needs no change here,
nor any migration (a job stores its kind's name)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.safestring import SafeString

    from assessment.jobs.models import FileJob
    from assessment.models import User


@dataclass(frozen=True)
class JobKind:
    """One kind of job.

    ``run(job)`` does the work, in the language of the job's starter: it sets the job's
    status and its result, summary or problems (or raises ``JobRefused``). ``page(job, reader)``
    is the page the job belongs to, as (URL, name), for the job page's way back: one its
    reader may open. ``summary(job)``
    is what a finished job says (an import's counts); ``reads_upload`` whether it imports an
    uploaded file. ``confirmation(job, request)`` is what the page of a job awaiting its
    starter's confirmation shows (a runner that sets ``FileJob.Status.AWAITING`` keeps the
    upload for it): what the job found and the form that confirms it, HTML the owning app
    renders with its own template, posting to its own view, which calls
    :func:`assessment.jobs.services.confirm_job`."""

    name: str
    label: str | Promise
    run: Callable[["FileJob"], None]
    page: Callable[["FileJob", "User"], tuple[str, str]]
    summary: Callable[["FileJob"], str] | None = None
    reads_upload: bool = False
    confirmation: Callable[["FileJob", "HttpRequest"], "SafeString"] | None = None


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    """Run, label and link the jobs named ``kind.name`` as ``kind`` says."""
    KINDS[kind.name] = kind


def job_kind(name: str) -> JobKind:
    """The registered kind ``name``; LookupError when no app registers it."""
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no file job kind {name!r} is registered") from None
