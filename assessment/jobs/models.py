"""The file job: one background import or export, with its files in the private storage."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.uploads import private_file_storage, safe_name


def job_path(instance: "FileJob", filename: str) -> str:
    # A folder of its own per file, so that the person's (sanitized) name is kept.
    return f"jobs/{uuid.uuid4().hex}/{safe_name(filename)}"


class FileJob(models.Model):
    """An import or export too large to run inside a request: a Celery task runs it and the
    job page shows its progress, then its summary, its problems or its result file. Files
    live in the private storage; the uploaded file only until the job has run, or, when the
    job awaits its starter's confirmation (a replace's preview), until the confirmation hands
    it to the job it starts (``confirms``) or the job is deleted.

    ``kind`` is the name of a registered :class:`~assessment.jobs.kinds.JobKind` (not a
    choice list: a new export of a higher app needs no migration here)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        # Ran, and keeps its upload until its starter confirms what it found.
        AWAITING = "awaiting", _("awaiting confirmation")

    kind = models.CharField(_("kind"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    message = models.CharField(_("progress"), max_length=200, blank=True)
    source = models.FileField(
        _("uploaded file"), storage=private_file_storage, upload_to=job_path, blank=True
    )
    source_name = models.CharField(_("file name"), max_length=200, blank=True)
    replace = models.BooleanField(_("replace the year"), default=False)
    # With ``replace``: delete the records the file does not hold (the import refuses without).
    discard = models.BooleanField(_("delete records not in the file"), default=False)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    # The round of a round's file (warnings, a unit's workbook), by its code.
    round_code = models.CharField(_("round"), max_length=32, blank=True)
    # A unit's own job (its round workbook): seen by that unit's users and the lead
    # department; a job without a unit is the lead department's.
    unit = models.ForeignKey(
        "assessment.Unit",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    result = models.FileField(
        _("result file"), storage=private_file_storage, upload_to=job_path, blank=True
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_total = models.PositiveIntegerField(_("number of problems"), default=0)
    cycle_exists = models.BooleanField(default=False)
    # The language of the person who started it: its messages and problems are written in it.
    language = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # The job awaiting confirmation whose confirmation started this one, on its upload
    # (one confirmation each: a second is refused).
    confirms = models.OneToOneField(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmation",
        verbose_name=_("confirms"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        app_label = "assessment"
        verbose_name = _("file job")
        verbose_name_plural = _("file jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        """Its worker is done with it (an awaiting job waits for a person, not a worker)."""
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.AWAITING)

    @property
    def lost(self) -> bool:
        """Failed because its worker was lost, not because of its file: it may be started
        again (:func:`assessment.jobs.services.fail_lost_job` notes it in the summary)."""
        return self.status == self.Status.FAILED and self.summary.get("lost") is True

    @property
    def kind_label(self) -> str:
        """The registered kind's name for people ("workbook import"), or the stored name of a
        kind no app registers any more."""
        from assessment.jobs.kinds import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind


class TaskLease(models.Model):
    """A Celery task running now, with the heartbeat its worker writes while it runs
    (:mod:`assessment.jobs.leases`). A lease whose heartbeat stopped belongs to a worker that
    is gone: the frequent sweep re-sends the task or fails its job."""

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    attempt = models.PositiveIntegerField(default=1)
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "assessment"
        verbose_name = _("running task")
        verbose_name_plural = _("running tasks")

    def __str__(self) -> str:
        return f"{self.task_name} {self.kwargs} ({self.task_id})"
