from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alerts.models import DiagnosisCase, Rectification, Warning
from assessment.governance.assessors import assessor_label, conflicts
from assessment.models import County, Round, User
from assessment.uploads import ACCEPTED_EXTENSIONS, validate_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.ModelForm):
    """The calendar and the warning settings of a pre-assessment round."""

    class Meta:
        model = Round
        fields = [
            "name", "opens_on", "closes_on", "expected_progress", "tolerance",
            "diagnosis_threshold",
        ]  # fmt: skip
        widgets = {"opens_on": DATE, "closes_on": DATE}
        help_texts = {
            "expected_progress": _("Percent of the year's task expected done by the closing."),
            "tolerance": _("A county this many points below the expected progress is warned."),
            "diagnosis_threshold": _(
                "A county warned on at least this many indicators is flagged for diagnosis."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "closes_on", "expected_progress"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        expected = data.get("expected_progress")
        if expected is not None and not 0 <= expected <= 100:
            self.add_error("expected_progress", _("Enter a percentage between 0 and 100."))
        tolerance = data.get("tolerance")
        if tolerance is not None and tolerance < 0:
            self.add_error("tolerance", _("The tolerance cannot be negative."))
        if data.get("diagnosis_threshold") == 0:
            self.add_error("diagnosis_threshold", _("The threshold is at least 1."))
        return data


class RoundAddForm(RoundForm):
    class Meta(RoundForm.Meta):
        fields = ["code", *RoundForm.Meta.fields]
        help_texts = {
            **RoundForm.Meta.help_texts,
            "code": _("Short Latin letters, e.g. june; used in commands and workbooks."),
        }

    def __init__(self, *args, cycle, **kwargs):
        self.cycle = cycle
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if code == Round.ANNUAL_CODE or Round.objects.filter(cycle=self.cycle, code=code).exists():
            raise ValidationError(_("The cycle already has a round with this code."))
        return code


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class InboxFilterForm(forms.Form):
    """Filters of the warnings list; the choices depend on who looks."""

    round = forms.ChoiceField(label=_("Round"), required=False)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All counties"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Warning.Status.choices]
    )

    def __init__(self, *args, rounds, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", _("All rounds"))] + [
            (str(r.pk), str(r)) for r in rounds
        ]
        if counties is None:
            del self.fields["county"]
        else:
            self.fields["county"].queryset = counties


class PlanForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["measures", "owner", "deadline"]
        widgets = {"measures": forms.Textarea(attrs={"rows": 4}), "deadline": DATE}

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline


class CompletionForm(forms.Form):
    completion = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("A PDF, an office document or an image (%(types)s).")
        % {"types": ", ".join(ACCEPTED_EXTENSIONS)},
    )

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        validate_upload(upload)
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("rectification review", "Decision"),
        choices=[("close", _("Rectified: close")), ("return", _("Not yet: send back"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what is missing when sending a rectification back."))
        return data


class CaseForm(forms.ModelForm):
    class Meta:
        model = DiagnosisCase
        fields = ["experts", "findings", "causes", "recommendations"]
        widgets = {
            "experts": forms.SelectMultiple(attrs={"size": 6}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "causes": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Experts are picked from the assessors' roster: those with an account to open the case.
        self.fields["experts"].queryset = (
            User.objects.filter(is_active=True, assessor__active=True)
            .exclude(role=User.Role.COUNTY)
            .select_related("assessor__unit")
            .order_by("assessor__kind", "assessor__name")
        )
        self.fields["experts"].label_from_instance = lambda user: assessor_label(user.assessor)
        self.fields["experts"].help_text = _(
            "From the assessors' roster; none from the county, nor one who recently worked there."
        )

    def clean_experts(self):
        experts = self.cleaned_data["experts"]
        reasons = conflicts(
            assessors=[user.assessor for user in experts],
            counties=[self.instance.county],
            year=self.instance.cycle.year,
        )
        if reasons:
            raise ValidationError(reasons)
        return experts


def expert_label(user: User) -> str:
    """The user's name, and their unit's when it is not the same (unit accounts are often
    named after their unit)."""
    name = user.get_full_name() or user.username
    if user.unit and user.unit.name != name:
        return f"{name} · {user.unit.name}"
    return name


class AnnualRoundForm(forms.ModelForm):
    """The calendar of the annual round: the units enter the annual data between its dates;
    the daily job opens it and closes it (closing locks the entry)."""

    class Meta:
        model = Round
        fields = ["name", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE}

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        return data
