"""Forms of the assessments around the annual one."""

from django import forms
from django.utils.translation import gettext_lazy

from assessment.models import Cycle, VetoItem
from assessment.uploads import validate_upload


class PrivateFileField(forms.FileField):
    """A file checked by its content (assessment.uploads), kept private."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            validate_upload(upload)
        return upload


class VetoItemForm(forms.ModelForm):
    class Meta:
        model = VetoItem
        fields = ["name", "basis", "first_year", "last_year"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", gettext_lazy("The last year comes before the first."))
        return cleaned


class VetoForm(forms.Form):
    """Record a veto against a county of the year: an item of the list and the evidence."""

    county = forms.ModelChoiceField(label=gettext_lazy("County"), queryset=None)
    item = forms.ModelChoiceField(label=gettext_lazy("Veto item"), queryset=None)
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
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
