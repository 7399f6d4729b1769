"""Forms of the new year: the copy, the settings and counties, one indicator, the diff's year."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessment.models import County, Cycle
from indicators.models import Category, Indicator, IndicatorProposal
from indicators.params import ParamError, parse_params, plain
from indicators.services.yearcopy import SETTINGS_FIELDS


def _param_errors(item, direction: str) -> list[ParamError]:
    try:
        parse_params(item.method, item.params, direction)
    except ParamError as exc:
        return [exc]
    return []


class NewCycleForm(forms.Form):
    """Start a year as a copy of an existing one."""

    source = forms.ModelChoiceField(
        label=gettext_lazy("Copy from the year"),
        queryset=Cycle.objects.order_by("-year"),
        to_field_name="year",
        empty_label=None,
    )
    year = forms.IntegerField(label=gettext_lazy("New year"), min_value=2000, max_value=2999)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Cycle.objects.filter(year=year).exists():
            raise forms.ValidationError(_("The year %(year)s already exists.") % {"year": year})
        return year


class CycleSettingsForm(forms.ModelForm):
    """The settings of spec/scoring.md and the counties of a draft year."""

    counties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Counties"),
        queryset=County.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cycle
        fields = [*SETTINGS_FIELDS, "counties"]


class IndicatorForm(forms.ModelForm):
    """One indicator of a draft year: the lead department's edit (rules are the units')."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "category", "weight", "unit", "direction", "order"]

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["category"].queryset = Category.objects.filter(cycle=cycle)
        if self.instance.pk:
            # The code follows the indicator across years: the diff matches by it.
            self.fields["code"].disabled = True
            self.initial["weight"] = plain(self.instance.weight)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        taken = Indicator.objects.filter(cycle=self.cycle, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The indicator code %(code)s is already used this year.") % {"code": code}
            )
        return code

    def clean(self):
        cleaned = super().clean()
        direction = cleaned.get("direction")
        if self.instance.pk and direction and direction != self.instance.direction:
            # Tiers are ordered in the direction of the indicator: re-check the items.
            problems = [
                f"{item.code}: {'; '.join(exc.messages)}"
                for item in self.instance.items.all()
                for exc in _param_errors(item, direction)
            ]
            if problems:
                self.add_error(
                    "direction",
                    _("The rule items do not fit this direction: %(problems)s")
                    % {"problems": " ".join(problems)},
                )
        return cleaned

    def save(self, commit=True):
        self.instance.cycle = self.cycle
        return super().save(commit)


class CompareForm(forms.Form):
    """The earlier year the changes page compares against."""

    against = forms.ModelChoiceField(
        label=gettext_lazy("Compared with"),
        queryset=Cycle.objects.none(),
        to_field_name="year",
        empty_label=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].queryset = Cycle.objects.exclude(pk=cycle.pk).order_by("-year")


class ProposalForm(forms.ModelForm):
    """A unit's proposal of a new indicator."""

    class Meta:
        model = IndicatorProposal
        fields = ["name", "rationale", "suggested_weight", "direction", "draft_rules"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "draft_rules": forms.Textarea(attrs={"rows": 4}),
        }


class ProposalReviewForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Opinion of the review"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("indicator proposal", "Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (the reasons, for a rejection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AddToCycleForm(forms.Form):
    """Where an approved proposal joins: a category of a draft year, under a new code."""

    category = forms.ModelChoiceField(
        label=gettext_lazy("Draft year and category"),
        queryset=Category.objects.filter(cycle__status=Cycle.Status.DRAFT)
        .select_related("cycle")
        .order_by("-cycle__year", "order"),
    )
    code = forms.CharField(label=gettext_lazy("Indicator code"), max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda c: f"{c.cycle.year} · {c.name}"
