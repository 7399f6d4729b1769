"""Forms of the assessors' roster: an assessor, a former posting, a training, a team, and the
picker of assessors that the teams, special assessments and diagnosis cases share."""

from django import forms
from django.utils.translation import gettext_lazy

from assessment.governance.assessors import assessor_label, roster
from assessment.models import (
    AssessmentTeam,
    Assessor,
    AssessorPosting,
    AssessorTraining,
    County,
    Cycle,
    PledgeCheck,
    Unit,
    User,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessorPicker(forms.ModelMultipleChoiceField):
    """Assessors of the roster (those still on it), shown with their kind and unit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=roster(), **kwargs)

    def label_from_instance(self, obj: Assessor) -> str:
        return assessor_label(obj)


class AssessorForm(forms.ModelForm):
    class Meta:
        model = Assessor
        fields = ["name", "kind", "unit", "position", "home_county", "user", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("code")
        self.fields["unit"].label_from_instance = lambda unit: unit.name
        self.fields["unit"].empty_label = gettext_lazy("Lead department")
        self.fields["home_county"].queryset = County.objects.order_by("code")
        self.fields["home_county"].label_from_instance = lambda county: county.name
        # An account of the lead department or a unit that is not another assessor's.
        accounts = User.objects.exclude(role=User.Role.COUNTY).filter(is_active=True)
        taken = Assessor.objects.exclude(pk=self.instance.pk).exclude(user=None)
        self.fields["user"].queryset = accounts.exclude(pk__in=taken.values("user_id")).order_by(
            "username"
        )


class PostingForm(forms.ModelForm):
    class Meta:
        model = AssessorPosting
        fields = ["county", "until_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("code")
        self.fields["county"].label_from_instance = lambda county: county.name


class TrainingForm(forms.ModelForm):
    class Meta:
        model = AssessorTraining
        fields = ["kind", "topic", "started_on", "days", "place"]
        widgets = {"started_on": DATE}


class TeamForm(forms.Form):
    """A team of the year that leads the annual assessment of some counties or a spot check
    (special assessments and diagnosis cases pick their experts on their own pages)."""

    KINDS = [
        (AssessmentTeam.Kind.ANNUAL, AssessmentTeam.Kind.ANNUAL.label),
        (AssessmentTeam.Kind.SPOT_CHECK, AssessmentTeam.Kind.SPOT_CHECK.label),
    ]

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KINDS)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    pledge_check = forms.ModelChoiceField(
        label=gettext_lazy("Pledge spot check"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("For a spot check: the check the team makes."),
    )
    counties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Counties"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    members = AssessorPicker(label=gettext_lazy("Members"))
    leader = forms.ModelChoiceField(
        label=gettext_lazy("Team leader"), queryset=None, required=False
    )

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = cycle.counties.order_by("code")
        self.fields["pledge_check"].queryset = (
            PledgeCheck.objects.filter(cycle=cycle)
            .select_related("item")
            .order_by("-checked_on", "-id")
        )
        self.fields["pledge_check"].label_from_instance = lambda c: (
            f"{c.checked_on:%Y-%m-%d} {c.item.name if c.item_id else ''}".strip()
        )
        self.fields["leader"].queryset = roster()
        self.fields["leader"].label_from_instance = assessor_label

    def clean(self):
        cleaned = super().clean()
        spot = cleaned.get("kind") == AssessmentTeam.Kind.SPOT_CHECK
        if spot and not cleaned.get("pledge_check"):
            self.add_error("pledge_check", gettext_lazy("Choose the spot check the team makes."))
        if not spot:
            cleaned["pledge_check"] = None
        return cleaned
