"""Forms of the pledge list (责任状): a matter of the list, a signing, a spot check."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessment.governance.forms import ListedItemForm
from assessment.governance.pledges import signable_items
from assessment.models import Cycle, PledgeItem, Unit, User


class PledgeItemForm(ListedItemForm):
    class Meta:
        model = PledgeItem
        fields = ["name", "basis", "issuing_unit", "first_year", "last_year"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = Unit.objects.order_by("code")
        self.fields["issuing_unit"].label_from_instance = lambda unit: unit.name


class PledgeSigningForm(forms.Form):
    """Record a county's signing of a matter of the year's list (for a unit: its own)."""

    county = forms.ModelChoiceField(label=gettext_lazy("County"), queryset=None)
    item = forms.ModelChoiceField(
        label=gettext_lazy("Pledge matter"),
        queryset=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "This matter is not on the pledge list of the year (or not issued by your "
                "unit): a county may be asked to sign only a matter of the list."
            )
        },
    )
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, cycle: Cycle, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = cycle.counties.order_by("code")
        self.fields["item"].queryset = signable_items(year=cycle.year, user=user)


class PledgeCheckForm(forms.Form):
    """A spot check of the pledges: against one matter of the list or the whole list."""

    item = forms.ModelChoiceField(
        label=gettext_lazy("Pledge matter"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("The whole list"),
    )
    checked_on = forms.DateField(
        label=gettext_lazy("Checked on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    counties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Counties checked"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        label=pgettext_lazy("pledge check", "Findings"), widget=forms.Textarea(attrs={"rows": 3})
    )
    problems_found = forms.BooleanField(
        label=gettext_lazy("Problems found (a matter signed off the list, a rebound …)"),
        required=False,
    )

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = PledgeItem.for_year(cycle.year).order_by("id")
        self.fields["counties"].queryset = cycle.counties.order_by("code")
