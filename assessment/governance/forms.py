"""Forms of the assessments around the annual one."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessment.governance.assessor_forms import AssessorPicker
from assessment.governance.assessors import conflicts
from assessment.models import Cycle, PlannedActivity, RoutineRecord, SpecialTask, VetoItem
from assessment.uploads import validate_upload


class PrivateFileField(forms.FileField):
    """A file checked by its content (assessment.uploads), kept private."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            validate_upload(upload)
        return upload


class ListedItemForm(forms.ModelForm):
    """An item of a list under list management (the veto list, the pledge list): its years in
    order."""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", gettext_lazy("The last year comes before the first."))
        return cleaned


class VetoItemForm(ListedItemForm):
    class Meta:
        model = VetoItem
        fields = ["name", "basis", "first_year", "last_year"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}


class VetoForm(forms.Form):
    """Record a veto against a county of the year: an item of the list and the evidence."""

    county = forms.ModelChoiceField(label=gettext_lazy("County"), queryset=None)
    item = forms.ModelChoiceField(label=gettext_lazy("Veto item"), queryset=None)
    evidence = forms.CharField(
        label=pgettext_lazy("veto", "Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What happened, when, and the document that establishes it."),
    )
    attachment = PrivateFileField(label=gettext_lazy("Attachment"), required=False)

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = cycle.counties.order_by("code")
        self.fields["item"].queryset = VetoItem.for_year(cycle.year).order_by("id")


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note of the review"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SpecialTaskForm(forms.ModelForm):
    """A special assessment of the year: name, period, counties involved, limits, and its
    experts picked from the assessors' roster (none from a county involved, nor one who
    recently worked there)."""

    experts = AssessorPicker(label=pgettext_lazy("special assessment", "Experts"), required=False)

    class Meta:
        model = SpecialTask
        fields = [
            "name", "description", "starts_on", "ends_on", "counties", "max_bonus", "max_penalty",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "counties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        self.fields["counties"].queryset = cycle.counties.order_by("code")
        team = getattr(self.instance, "team", None) if self.instance.pk else None
        if team is not None:
            self.initial.setdefault("experts", list(team.members.all()))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The task ends before it starts."))
        if self.instance.pk:
            self._check_recorded(cleaned)
        if cleaned.get("experts") and cleaned.get("counties"):
            for reason in conflicts(
                assessors=cleaned["experts"], counties=cleaned["counties"],
                year=self.instance.cycle.year,
            ):  # fmt: skip
                self.add_error("experts", reason)
        return cleaned

    def _check_recorded(self, cleaned) -> None:
        """Limits and counties may not leave a recorded score outside them."""
        bonus, penalty = cleaned.get("max_bonus"), cleaned.get("max_penalty")
        counties = cleaned.get("counties")
        for score in self.instance.scores.select_related("county"):
            if bonus is not None and score.points > bonus:
                self.add_error("max_bonus", _("%(county)s already has %(points)s points.") % {
                    "county": score.county.name, "points": score.points,
                })  # fmt: skip
            if penalty is not None and score.points < -penalty:
                self.add_error("max_penalty", _("%(county)s already has %(points)s points.") % {
                    "county": score.county.name, "points": score.points,
                })  # fmt: skip
            if counties is not None and score.county not in counties:
                self.add_error("counties", _("%(county)s already has a score.") % {
                    "county": score.county.name,
                })  # fmt: skip


class SpecialScoreForm(forms.Form):
    """One involved county's evaluation and points (signed: a penalty is negative)."""

    evaluation = forms.CharField(
        label=gettext_lazy("Evaluation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(
        label=gettext_lazy("Points"),
        max_digits=10,
        decimal_places=2,
        help_text=gettext_lazy("A bonus is positive, a penalty negative."),
    )


class RoutineRecordForm(forms.Form):
    """An observation of a county team for the routine assessment archive."""

    county = forms.ModelChoiceField(label=gettext_lazy("County"), queryset=None)
    observed_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=RoutineRecord.Source.choices)
    polarity = forms.ChoiceField(
        label=gettext_lazy("Positive or negative"),
        choices=RoutineRecord.Polarity.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("Observation"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = PrivateFileField(label=gettext_lazy("Attachment"), required=False)

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = cycle.counties.order_by("code")


class PlannedActivityForm(forms.ModelForm):
    """An activity of the assessment plan."""

    class Meta:
        model = PlannedActivity
        fields = ["topic", "organizer", "kind", "counties", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "counties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        self.fields["counties"].queryset = cycle.counties.order_by("code")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The activity ends before it starts."))
        return cleaned


class MergeForm(forms.Form):
    """Merge several planned activities into one combined activity."""

    activities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Activities to merge"),
        queryset=PlannedActivity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.CharField(label=gettext_lazy("Topic of the combined activity"), max_length=200)
    organizer = forms.CharField(label=gettext_lazy("Organizers"), max_length=200)

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = PlannedActivity.objects.filter(
            cycle=cycle, merged_into__isnull=True
        ).order_by("starts_on", "id")
        self.fields["activities"].label_from_instance = lambda a: f"{a.topic}（{a.organizer}）"

    def clean_activities(self):
        chosen = list(self.cleaned_data["activities"])
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two activities to merge."))
        return chosen
