"""The assessors (考核人员队伍, article 4.7): the roster of full- and part-time assessors from the
lead department and other units, the counties they come from or worked in (the conflict
check), their training record, and the teams they are assigned to.

Models of the frame (``assessment``), imported by ``assessment.models``. A diagnosis case
(``alerts``) points at its team from above.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.governance.models import SpecialTask
from assessment.governance.pledge_models import PledgeCheck
from assessment.models import County, Cycle, Unit


class Assessor(models.Model):
    """A member of the assessors' roster."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="assessors",
        verbose_name=_("unit"), help_text=_("Blank: the lead department."),
    )  # fmt: skip
    position = models.CharField(_("position"), max_length=100, blank=True)
    home_county = models.ForeignKey(
        County, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("county of origin"),
        help_text=_("The county the assessor comes from: never assigned to assess it."),
    )  # fmt: skip
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="assessor", verbose_name=_("account"),
        help_text=_("The assessor's account, through which they open the cases they are "
                    "assigned to."),
    )  # fmt: skip
    active = models.BooleanField(_("on the roster"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name


class AssessorPosting(models.Model):
    """A county the assessor worked in, and the last year they did (the conflict check keeps
    them away from it for a few years)."""

    assessor = models.ForeignKey(Assessor, models.CASCADE, related_name="postings")
    county = models.ForeignKey(County, models.PROTECT, related_name="+", verbose_name=_("county"))
    until_year = models.PositiveIntegerField(_("worked there until"))

    class Meta:
        verbose_name = _("former posting")
        verbose_name_plural = _("former postings")
        ordering = ["assessor", "-until_year", "id"]

    def __str__(self) -> str:
        return f"{self.assessor} {self.county} ({self.until_year})"


class AssessorTraining(models.Model):
    """A training of an assessor (素质提升计划): a study visit, rotation training, shadowing."""

    class Kind(models.TextChoices):
        STUDY_VISIT = "study_visit", _("Study visit")
        ROTATION = "rotation", _("Rotation training")
        SHADOWING = "shadowing", _("Shadowing")

    assessor = models.ForeignKey(Assessor, models.CASCADE, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    started_on = models.DateField(_("date"))
    days = models.PositiveSmallIntegerField(_("days"), default=1)
    place = models.CharField(_("place or organizer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assessor training")
        verbose_name_plural = _("assessor trainings")
        ordering = ["assessor", "-started_on", "id"]

    def __str__(self) -> str:
        return f"{self.assessor} {self.topic}"


class AssessmentTeam(models.Model):
    """A team of assessors that leads one assessment of the year in the counties it names: the
    annual assessment of a set of counties, a diagnosis case, a special assessment or a spot
    check of the pledges."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual assessment")
        DIAGNOSIS = "diagnosis", _("Diagnosis case")
        SPECIAL = "special", _("Special assessment")
        SPOT_CHECK = "spot_check", _("Spot check")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="assessment_teams")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        Assessor, models.PROTECT, null=True, blank=True, related_name="teams_led",
        verbose_name=_("team leader"),
    )  # fmt: skip
    members = models.ManyToManyField(Assessor, related_name="teams", verbose_name=_("members"))
    counties = models.ManyToManyField(County, related_name="+", verbose_name=_("counties"))
    special_task = models.OneToOneField(
        SpecialTask, models.CASCADE, null=True, blank=True, related_name="team",
        verbose_name=_("special assessment"),
    )  # fmt: skip
    pledge_check = models.OneToOneField(
        PledgeCheck, models.CASCADE, null=True, blank=True, related_name="team",
        verbose_name=_("pledge spot check"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment team")
        verbose_name_plural = _("assessment teams")
        ordering = ["cycle", "kind", "id"]

    def __str__(self) -> str:
        return self.name
