"""The review's two forms: the comment of a return, the reason of a reopening."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment to the unit"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("justification", "Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
