"""Warnings (指标预警) issued when a pre-assessment round closes, diagnosis flags and cases
(专家会诊), and the rectifications (问题整改) that answer them, reviewed by the lead department
(回头看)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.models import AssessmentTeam, County, Cycle, Round
from assessment.uploads import private_file_storage
from indicators.models import Indicator
from scoring.models import VALUE
from scoring.results.engine import warning_reasons

# The reasons in the spec's words (后三名, 进度滞后, 未报送 in the Chinese interface).
REASON_LABELS = {
    "bottom_three": _("Bottom three"),
    "behind_target": _("Behind target"),
    "not_reported": _("Not reported"),
}


class Warning(models.Model):
    """One warning to one county on one indicator in one round, with every reason that applies.

    Closing a round again with the same data keeps these rows. When the data changed, the rows
    that no longer hold are marked replaced (``replaced_at``) and stay in the history.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", pgettext_lazy("warning status", "Issued")
        READ = "read", pgettext_lazy("warning status", "Read")
        ANSWERED = "answered", pgettext_lazy("warning status", "Answered")
        CLOSED = "closed", pgettext_lazy("warning status", "Closed")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="warnings")
    round = models.ForeignKey(Round, models.CASCADE, related_name="warnings")
    county = models.ForeignKey(County, models.PROTECT, related_name="warnings")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="warnings")
    bottom_three = models.BooleanField(_("bottom three"), default=False)
    behind_target = models.BooleanField(_("behind target"), default=False)
    not_reported = models.BooleanField(_("not reported"), default=False)
    progress = models.DecimalField(_("progress (%)"), **VALUE, null=True, blank=True)
    # Place among the counties that reported, 1 = the most advanced; of ``reported`` counties.
    place = models.PositiveIntegerField(_("place"), null=True, blank=True)
    reported = models.PositiveIntegerField(_("counties reported"), default=0)
    expected = models.DecimalField(_("expected progress (%)"), max_digits=7, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    # First opened by one of the county's users; the inbox counts the unread ones.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The outbox: set by a closing that notifies, in the closing's transaction; cleared when
    # a notification job claims the warning (``notified_at``) before emailing it, so that a
    # warning is emailed at most once; set again if the email could not be sent.
    to_notify = models.BooleanField(_("to be emailed"), default=False)
    # Claimed by the notification job before it emails: a warning is notified at most once.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["round", "county", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county", "indicator"],
                condition=Q(replaced_at__isnull=True),
                name="warning_unique_current",
            ),
            models.CheckConstraint(
                name="warning_has_reason",
                condition=Q(bottom_three=True) | Q(behind_target=True) | Q(not_reported=True),
            ),
        ]
        indexes = [
            models.Index(fields=["county", "replaced_at"]),
            # The sweep of the outbox reads only the warnings still to be emailed.
            models.Index(fields=["round"], condition=Q(to_notify=True), name="warning_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.county_id}/{self.indicator_id}"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None

    @property
    def reasons(self) -> list[str]:
        """Reason codes in the order of the spec: bottom three, behind target, not reported."""
        return list(warning_reasons(self.bottom_three, self.behind_target, self.not_reported))

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[code]) for code in self.reasons]

    @property
    def gap(self):
        """Percentage points behind the expected progress (None when not reported)."""
        if self.progress is None:
            return None
        return self.expected - self.progress


class DiagnosisFlag(models.Model):
    """A county with warnings on at least the round's threshold of indicators (专家会诊)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="diagnosis_flags")
    round = models.ForeignKey(Round, models.CASCADE, related_name="diagnosis_flags")
    county = models.ForeignKey(County, models.PROTECT, related_name="diagnosis_flags")
    warning_count = models.PositiveIntegerField(_("indicators warned"))
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("diagnosis flag")
        verbose_name_plural = _("diagnosis flags")
        ordering = ["round", "county"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county"],
                condition=Q(replaced_at__isnull=True),
                name="diagnosis_flag_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.county_id}: {self.warning_count}"


class DiagnosisCase(models.Model):
    """An expert diagnosis (专家会诊 / 定点解剖) of a county flagged in a round.

    The lead department opens it, assigns experts, records findings and causes, and sends
    recommendations, which the county reads and answers with a rectification.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Under diagnosis")
        SENT = "sent", _("Recommendations sent")
        CLOSED = "closed", pgettext_lazy("diagnosis", "Closed")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="diagnosis_cases")
    round = models.ForeignKey(Round, models.CASCADE, related_name="diagnosis_cases")
    county = models.ForeignKey(County, models.PROTECT, related_name="diagnosis_cases")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="diagnosis_cases",
        verbose_name=pgettext_lazy("diagnosis", "experts"),
    )  # fmt: skip
    # The experts as a team of the assessors' roster (members, county, audit), kept by
    # update_case beside ``experts``, the accounts that open the case.
    team = models.OneToOneField(
        AssessmentTeam, models.SET_NULL, null=True, blank=True, related_name="diagnosis_case",
        verbose_name=_("team"),
    )  # fmt: skip
    findings = models.TextField(pgettext_lazy("diagnosis", "findings"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("recommendations sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Claimed by the job that emails the county the recommendations sent (once per sending).
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("diagnosis case")
        verbose_name_plural = _("diagnosis cases")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "county"], name="diagnosis_case_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.county_id}"


class Rectification(models.Model):
    """A county's answer to a warning or a diagnosis case (问题整改), and its review (回头看).

    planned → (completion reported) submitted → closed, or → returned → submitted again.
    Every step is kept in :class:`RectificationStep`. A rectification belongs to the warning it
    answered; when a later closing replaces that warning, it stays with the replaced row.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("In progress")
        SUBMITTED = "submitted", _("Completion reported")
        RETURNED = "returned", _("Sent back")
        CLOSED = "closed", pgettext_lazy("rectification", "Closed")

    OPEN_STATUSES = (Status.PLANNED, Status.RETURNED)

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="rectifications")
    county = models.ForeignKey(County, models.PROTECT, related_name="rectifications")
    warning = models.OneToOneField(
        Warning, models.CASCADE, null=True, blank=True, related_name="rectification"
    )
    case = models.OneToOneField(
        DiagnosisCase, models.CASCADE, null=True, blank=True, related_name="rectification"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    measures = models.TextField(_("measures"))
    owner = models.CharField(_("person responsible"), max_length=100)
    deadline = models.DateField(_("deadline"))
    completion = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(
        _("evidence"), storage=private_file_storage, upload_to="rectifications/%Y/", blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                name="rectification_answers_one",
                condition=Q(warning__isnull=False, case__isnull=True)
                | Q(warning__isnull=True, case__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.county_id}: {self.measures[:30]}"

    def is_overdue(self, today) -> bool:
        return self.status in self.OPEN_STATUSES and self.deadline < today


class RectificationStep(models.Model):
    """One step in the history of a rectification: who did what, when, with what comment."""

    class Action(models.TextChoices):
        PLANNED = "planned", _("Plan submitted")
        REVISED = "revised", _("Plan revised")
        COMPLETED = "completed", _("Completion reported")
        RETURNED = "returned", _("Sent back")
        CLOSED = "closed", _("Reviewed and closed")
        REMINDED = "reminded", _("Deadline reminder sent")

    rectification = models.ForeignKey(Rectification, models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification step")
        verbose_name_plural = _("rectification steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.action}"


class UnitReminder(models.Model):
    """An email reminding a responsible unit of an indicator's round data: before the round
    closes, of what it has not submitted; when the round closed, of what it has not
    delivered. Once per (round, indicator, kind): the row is the claim."""

    class Kind(models.TextChoices):
        DUE = "due", _("Closing date coming")
        LATE = "late", _("Not delivered at closing")

    # A replace that drops the indicator deletes these without listing them as lost records
    # (scoring.workbook.replace): they only keep each reminder to once.
    replace_bookkeeping = True

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, models.CASCADE, related_name="unit_reminders")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit reminder")
        verbose_name_plural = _("unit reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "indicator", "kind"], name="unit_reminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.indicator_id}: {self.kind}"
