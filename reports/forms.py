from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.uploads import validate_upload
from reports.models import DEFAULT_OBJECTION_DAYS


class PublishForm(forms.Form):
    objection_days = forms.IntegerField(
        label=_("Objection period (days)"),
        min_value=0,
        max_value=90,
        initial=DEFAULT_OBJECTION_DAYS,
        help_text=_("Counties may object to a score for this many days after publication."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the results are withdrawn."))
        return reason


class ObjectionForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=None, empty_label=None)
    reasons = forms.CharField(
        label=pgettext_lazy("objection", "Reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Which figure you believe is wrong, and why."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF, an office document or an image."),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = cycle.indicators.order_by("order", "code")
        self.fields["indicator"].label_from_instance = lambda ind: f"{ind.code} {ind.name}"

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_upload(upload)
        return upload


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer of the unit"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=pgettext_lazy("objection", "Decision"),
        choices=[
            ("1", pgettext_lazy("objection decision", "Uphold")),
            ("0", pgettext_lazy("objection decision", "Reject")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasons for the decision"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    item = forms.ModelChoiceField(
        label=_("Corrected rule item"),
        queryset=None,
        required=False,
        help_text=_("Upheld: the input to correct; leave empty when no figure changes."),
    )
    actual = forms.DecimalField(label=_("Corrected actual"), required=False, max_digits=24)
    target = forms.DecimalField(
        label=_("Corrected target"),
        required=False,
        max_digits=24,
        help_text=_("Empty: the target stays as it is."),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = indicator.items.order_by("order", "code")
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.name}"

    def clean(self):
        data = super().clean()
        if data.get("item") is not None:
            if not data.get("upheld"):
                self.add_error("item", _("Only an upheld objection corrects an input."))
            elif data.get("actual") is None:
                self.add_error("actual", _("Give the corrected actual value."))
        return data


class WhatIfForm(forms.Form):
    """Which indicator the county would improve, and by how much (percent)."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    amount = forms.DecimalField(
        label=_("Improvement (%)"),
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=1,
        initial=Decimal(10),
        help_text=_(
            "Each rule item's actual moves by this share of its target (or of itself, where "
            "the item has no target), in the better direction."
        ),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, f"{i.code} {i.name}") for i in indicators]


class NoticeForm(forms.Form):
    """The heading of the draft results notice, which the lead department edits after."""

    office = forms.CharField(
        label=_("Issuing office"),
        max_length=100,
        initial=_("Organization Department of the City Party Committee"),
    )
    number = forms.CharField(
        label=_("Document number"),
        max_length=100,
        required=False,
        help_text=_("e.g. 组通〔2026〕5号"),
    )
    issued_on = forms.DateField(
        label=pgettext_lazy("document", "Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
