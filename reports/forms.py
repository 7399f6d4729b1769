from django import forms
from django.utils.translation import gettext_lazy as _

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
