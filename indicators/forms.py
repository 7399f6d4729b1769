"""The rules form: the direction of an indicator and its rule items, with the parameters of
each item's method as separate fields, checked as spec/scoring.md says."""

import copy
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Direction, RuleItem, UnitEvaluation
from indicators.params import DEFAULTS, ParamError, parse_params, plain

# The parameter fields, in the order they are shown, and the methods that take each.
PARAMS = ("base", "per", "step", "cap", "floor", "tiers")
METHOD_PARAMS = {
    method: [p for p in PARAMS if p in names or (p == "tiers" and method == "tiers")]
    for method, names in DEFAULTS.items()
}
PARAM_HELP = {
    "base": gettext_lazy("Points at exactly the target (default 100)."),
    "per": gettext_lazy(
        "Points per unit: for “around the target”, per unit above or below it (default 1); "
        "for deductions, per occurrence (default 10)."
    ),
    "step": gettext_lazy("Points less for each place down the ranking (default 5)."),
    "cap": gettext_lazy(
        "Highest score, 100 to 200; above 100 credits over-achievement (default 100)."
    ),
    "floor": gettext_lazy("Lowest score a county gets on the item (default 0)."),
    "tiers": gettext_lazy(
        "Threshold:score pairs, best first, separated by commas, e.g. 95:100,85:90,70:75,0:60."
    ),
}


def _raw_params(text: str) -> dict[str, str]:
    values = {}
    for part in (text or "").split(";"):
        name, sep, value = part.partition("=")
        if sep:
            values[name.strip()] = value.strip()
    return values


class IndicatorRulesForm(forms.Form):
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=Direction.choices,
        help_text=gettext_lazy("Changing it re-checks the items' parameters (tiers depend on it)."),
    )


class RuleItemForm(forms.ModelForm):
    """One rule item; its parameters are assembled from the fields its method takes."""

    base = forms.CharField(label=gettext_lazy("base"), required=False, help_text=PARAM_HELP["base"])
    per = forms.CharField(label=gettext_lazy("per"), required=False, help_text=PARAM_HELP["per"])
    step = forms.CharField(label=gettext_lazy("step"), required=False, help_text=PARAM_HELP["step"])
    cap = forms.CharField(label=gettext_lazy("cap"), required=False, help_text=PARAM_HELP["cap"])
    floor = forms.CharField(
        label=gettext_lazy("floor"), required=False, help_text=PARAM_HELP["floor"]
    )
    tiers = forms.CharField(
        label=gettext_lazy("tiers"), required=False, help_text=PARAM_HELP["tiers"]
    )
    sample_actual = forms.DecimalField(label=gettext_lazy("Sample actual"), required=False)
    sample_target = forms.DecimalField(label=gettext_lazy("Sample target"), required=False)

    class Meta:
        model = RuleItem
        fields = ["code", "name", "content", "share", "method"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, direction: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        self.fields["method"].widget.attrs["class"] = "rule-method"
        if self.instance.pk:
            self.initial["share"] = plain(self.instance.share)
            for name, value in _raw_params(self.instance.params).items():
                if name in PARAMS:
                    self.fields[name].initial = value

    def params_text(self) -> str:
        method = self.cleaned_data.get("method")
        return ";".join(
            f"{name}={self.cleaned_data[name].strip()}"
            for name in METHOD_PARAMS.get(method, [])
            if self.cleaned_data.get(name, "").strip()
        )

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method:
            params = self.params_text()
            try:
                parse_params(method, params, self.direction)
            except ParamError as exc:
                for message in exc.messages:
                    self.add_error(None, message)
            cleaned["params"] = self.instance.params = params
        return cleaned

    def _update_errors(self, errors):
        # RuleItem.clean() checks the same parameters, which clean() has reported already
        # beside the item (the form has no "params" field of its own).
        if hasattr(errors, "error_dict"):
            errors.error_dict.pop("params", None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)


class BaseRuleItemFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, indicator, direction, **kwargs):
        self.indicator = indicator
        # The items are checked against the direction being saved, not the stored one.
        self.checked_indicator = copy.copy(indicator)
        self.checked_indicator.direction = direction
        super().__init__(*args, form_kwargs={"direction": direction}, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.indicator = self.checked_indicator
        form.instance.cycle_id = self.indicator.cycle_id
        return form

    def kept(self) -> list[RuleItemForm]:
        return [
            f for f in self.forms if f.has_changed() or f.instance.pk
            if not self._should_delete_form(f)
        ]  # fmt: skip

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms_kept = self.kept()
        codes = [f.cleaned_data["code"] for f in forms_kept]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        taken = set(
            RuleItem.objects.filter(cycle=self.indicator.cycle, code__in=codes)
            .exclude(indicator=self.indicator)
            .values_list("code", flat=True)
        )
        errors = [_("Item code %(code)s is used twice.") % {"code": c} for c in duplicates]
        errors += [
            _("Item code %(code)s is already used by another indicator.") % {"code": c}
            for c in sorted(taken)
        ]
        total = sum((f.cleaned_data["share"] for f in forms_kept), Decimal(0))
        if forms_kept and total != 100:
            errors.append(
                _("The shares of the items sum to %(total)s, not 100.") % {"total": plain(total)}
            )
        if errors:
            raise forms.ValidationError(errors)


RuleItemFormSet = forms.modelformset_factory(
    RuleItem, form=RuleItemForm, formset=BaseRuleItemFormSet, extra=1, can_delete=True
)


class EvaluationForm(forms.ModelForm):
    """A unit's evaluation of a county on its indicators."""

    class Meta:
        model = UnitEvaluation
        fields = ["strengths", "weaknesses", "advice"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}
