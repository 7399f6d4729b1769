"""The frame of the appraisal year: counties, responsible units, users and their roles,
cycles and their rounds, and the assessments besides the indicators (adjustments, vetoes).

This is the lowest app (``assessment → indicators → scoring → alerts → reports``): every
other app's models point down at these, and nothing here refers to a higher app.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.jobs.models import FileJob, TaskLease  # noqa: F401  (models of this app)
from assessment.uploads import private_file_storage


class County(models.Model):
    """An appraised county or district leadership team (被考核对象). Kept across years."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    """A responsible unit (考核责任单位): a city bureau in charge of some indicators."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UserManager(DjangoUserManager):
    """Django's user manager, whose superusers belong to the lead department.

    A superuser administers the whole appraisal, which only the lead department may do (the
    admin site is open to it alone); ``manage.py createsuperuser`` creates the first one.
    """

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.LEAD)
        if extra_fields["role"] != User.Role.LEAD:
            raise ValueError("A superuser belongs to the lead department (role=lead).")
        if password is not None:
            # `createsuperuser --noinput` skips the validators; the first account is the
            # most powerful one, so its password meets AUTH_PASSWORD_VALIDATORS all the same
            # (a ValidationError, which the command prints).
            validate_password(password, self.model(username=username, email=email or ""))
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account with one role: the lead department, a responsible unit or a county."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead department")
        UNIT = "unit", _("Responsible unit")
        COUNTY = "county", _("County")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.COUNTY)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("unit")
    )
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("county"),
    )

    class Language(models.TextChoices):
        # The languages of settings.LANGUAGES; labels in their own language, as a switch shows.
        ZH_HANS = "zh-hans", "简体中文"
        EN = "en", "English"

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.ZH_HANS,
        help_text=_("The language of the pages and of the emails this account receives."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_binding",
                condition=(
                    Q(role="lead", unit__isnull=True, county__isnull=True)
                    | Q(role="unit", unit__isnull=False, county__isnull=True)
                    | Q(role="county", unit__isnull=True, county__isnull=False)
                ),
            )
        ]

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD

    @property
    def is_unit(self) -> bool:
        return self.role == self.Role.UNIT

    @property
    def is_county(self) -> bool:
        return self.role == self.Role.COUNTY


class Cycle(models.Model):
    """One assessment year (考核年度) with the settings of ``spec/scoring.md``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    year = models.PositiveIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    total_points = models.DecimalField(
        _("total points"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    excellent_ratio = models.DecimalField(
        _("excellence ratio"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    excellent_line = models.DecimalField(
        _("excellence line"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the total points a county needs to be excellent; blank for none."),
    )
    good_line = models.DecimalField(
        _("good line"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    fair_line = models.DecimalField(
        _("fair line"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    bonus_cap = models.DecimalField(
        _("adjustment cap"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Largest absolute sum of a county's bonuses and penalties; blank for none."),
    )
    counties = models.ManyToManyField(
        County, related_name="cycles", blank=True, verbose_name=_("counties")
    )
    results_computed_at = models.DateTimeField(_("results computed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        """Becoming active needs the registered activation checks to pass (the weights sum
        to the total points: ``assessment.services.set_cycle_status``)."""
        super().clean()
        if self.status != self.Status.ACTIVE:
            return
        was = Cycle.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if was != self.Status.ACTIVE:
            from assessment.services import activation_problems

            problems = activation_problems(self)
            if problems:
                raise ValidationError({"status": problems})


class Round(models.Model):
    """A round of a cycle: the annual assessment or a pre-assessment (April, August …)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual assessment")
        PRE = "pre", _("Pre-assessment")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    ANNUAL_CODE = "annual"
    # Defaults of spec/scoring.md: April and August are 4/12 and 8/12 of the year.
    DEFAULT_EXPECTED = {"april": Decimal("33.33"), "august": Decimal("66.67")}

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="rounds")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    expected_progress = models.DecimalField(
        _("expected progress (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("tolerance (percentage points)"), max_digits=7, decimal_places=2, default=Decimal("10")
    )
    diagnosis_threshold = models.PositiveIntegerField(_("diagnosis threshold"), default=3)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["cycle", "closes_on", "code"]
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="round_unique_code")]

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.name}"


class Adjustment(models.Model):
    """A signed bonus or penalty (加减分) from a special assessment."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="adjustments")
    county = models.ForeignKey(County, models.PROTECT, related_name="adjustments")
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["cycle", "county", "id"]

    def __str__(self) -> str:
        return f"{self.county} {self.points:+}"


class ListedItem(models.Model):
    """An item of a list the city keeps under list management (清单管理): the veto list, the
    pledge list. It applies from ``first_year`` to ``last_year`` (open-ended when blank); the
    yearly review flags the items without a basis. Concrete lists add their own fields and
    the years' check constraint (its name is the list's)."""

    first_year = models.PositiveIntegerField(_("from year"))
    last_year = models.PositiveIntegerField(
        _("to year"), null=True, blank=True, help_text=_("Blank: until further notice.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["first_year", "id"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    @classmethod
    def for_year(cls, year: int) -> models.QuerySet:
        return cls.objects.filter(first_year__lte=year).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=year)
        )

    @staticmethod
    def years_in_order(name: str) -> models.CheckConstraint:
        """The check that a list item's years run forward, named ``name``."""
        return models.CheckConstraint(
            name=name,
            condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
        )


class ListReview(models.Model):
    """The lead department's yearly review of a list: when, by whom, what it found."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    note = models.TextField(pgettext_lazy("list review", "note"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now=True)
    reviewed_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip

    class Meta:
        abstract = True
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class VetoItem(ListedItem):
    """An item of the veto list (一票否决事项): what vetoes a county, on which basis (the
    document and article that ground it), in which years."""

    name = models.CharField(_("name"), max_length=200)
    basis = models.TextField(
        _("basis"),
        blank=True,
        help_text=_("The document and article that ground the item; an item without one is "
                    "flagged by the yearly review."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        ordering = ListedItem.Meta.ordering
        constraints = [ListedItem.years_in_order("veto_item_years_in_order")]


class VetoReview(ListReview):
    """The lead department's yearly review of the veto list."""

    flagged = models.JSONField(_("flagged items"), default=list)

    class Meta:
        verbose_name = _("veto list review")
        verbose_name_plural = _("veto list reviews")
        ordering = ListReview.Meta.ordering


class Veto(models.Model):
    """A one-vote veto (一票否决): the county is graded poor whatever its total.

    Recorded in the browser against an item of the veto list with its evidence; rows read
    from a workbook's optional sheet carry only a reason.
    """

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="vetoes")
    county = models.ForeignKey(County, models.PROTECT, related_name="vetoes")
    reason = models.CharField(_("reason"), max_length=500)
    item = models.ForeignKey(
        VetoItem, models.PROTECT, null=True, blank=True, related_name="vetoes",
        verbose_name=_("veto item"),
    )  # fmt: skip
    evidence = models.TextField(pgettext_lazy("veto", "evidence"), blank=True)
    attachment = models.FileField(
        _("attachment"), storage=private_file_storage, upload_to="vetoes/%Y/", blank=True
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        ordering = ["cycle", "county", "id"]

    def __str__(self) -> str:
        return f"{self.county}: {self.reason}"


def cross_year_errors(obj: models.Model, messages: dict[str, str]) -> dict[str, str]:
    """The errors of ``obj``'s references to another year than its own cycle.

    ``messages`` maps a foreign key (to a model with a ``cycle``) to its error message, with
    ``%(other)s`` (the referenced object's year) and ``%(year)s`` (``obj``'s year). For the
    ``clean()`` of every model that carries its cycle beside such references.
    """
    errors = {}
    if obj.cycle_id is None:
        return errors
    for name, message in messages.items():
        if getattr(obj, f"{name}_id") is None:
            continue
        related = getattr(obj, name)
        if related.cycle_id != obj.cycle_id:
            errors[name] = message % {"other": related.cycle.year, "year": obj.cycle.year}
    return errors


# The assessments around the annual one, the pledge list (责任状) and the assessors' roster
# live in modules of governance; imported here so that Django registers their models with this
# app.
from assessment.governance.assessor_models import (  # noqa: E402, F401
    AssessmentTeam,
    Assessor,
    AssessorPosting,
    AssessorTraining,
)
from assessment.governance.models import (  # noqa: E402, F401
    PlannedActivity,
    RoutineRecord,
    SpecialScore,
    SpecialTask,
)
from assessment.governance.pledge_models import (  # noqa: E402, F401
    PledgeCheck,
    PledgeItem,
    PledgeReview,
    PledgeSigning,
)
