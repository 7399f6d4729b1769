"""Rule items explained in plain words, for the indicator system page and the booklet."""

from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.models import Direction, Method
from indicators.params import ParamError, parse_params, plain


def describe_rule(method: str, params: str, direction: str) -> str:
    """The scoring method of a rule item in a plain sentence, e.g. "Completion ratio:
    actual / target × 100, at most 120 points, at least 40 points".

    Parameters that cannot be parsed (never stored by the forms and the import) are shown
    as written.
    """
    try:
        p = parse_params(method, params, direction)
    except ParamError:
        return f"{Method(method).label if method in Method.values else method}: {params}"
    higher = direction == Direction.HIGHER
    v = {name: plain(value) for name, value in p.values.items()}
    floor = p.values.get("floor", Decimal(0))
    at_least = (_(", at least %(floor)s points") % {"floor": v["floor"]}) if floor > 0 else ""
    if method == Method.MANUAL:
        return _("Direct score: the responsible unit scores 0 to 100 points")
    if method == Method.RATIO:
        formula = _("actual / target × 100") if higher else _("target / actual × 100")
        return _("Completion ratio: %(formula)s, at most %(cap)s points%(floor)s") % {
            "formula": formula,
            "cap": v["cap"],
            "floor": at_least,
        }
    if method == Method.RELATIVE:
        formula = (
            _("actual / the best county's actual × 100 (the best is the highest)")
            if higher
            else _("the best county's actual / actual × 100 (the best is the lowest)")
        )
        return _("Benchmark: %(formula)s%(floor)s") % {"formula": formula, "floor": at_least}
    if method == Method.LINEAR:
        return _linear(higher, v)
    if method == Method.RANK:
        order = _("highest value first") if higher else _("lowest value first")
        return _(
            "Rank (%(order)s): first place 100 points, %(step)s points less per place%(floor)s"
        ) % {"order": order, "step": v["step"], "floor": at_least}
    if method == Method.DEDUCTION:
        return _("Deductions: 100 points minus %(per)s points per occurrence, at least 0") % {
            "per": v["per"]
        }
    if method == Method.TIERS:
        sign = "≥" if higher else "≤"
        tiers = "; ".join(
            _("%(sign)s %(threshold)s: %(score)s points")
            % {"sign": sign, "threshold": plain(t), "score": plain(s)}
            for t, s in p.tiers
        )
        return _("Tiers: %(tiers)s; otherwise 0 points") % {"tiers": tiers}
    if method == Method.BINARY:
        return _binary(higher)
    return Method(method).label


def _linear(higher: bool, v: dict) -> str:
    """The sentence of the linear method; ``v``: its parameters as plain text."""
    sentence = (
        _(
            "Around the target: %(base)s points at the target, plus %(per)s points per "
            "unit above it, minus %(per)s per unit below it"
        )
        if higher
        else _(
            "Around the target: %(base)s points at the target, plus %(per)s points per "
            "unit below it, minus %(per)s per unit above it"
        )
    )
    return _("%(sentence)s; between %(floor)s and %(cap)s points") % {
        "sentence": sentence % {"base": v["base"], "per": v["per"]},
        "floor": v["floor"],
        "cap": v["cap"],
    }


def _binary(higher: bool) -> str:
    """The sentence of the pass-or-fail method."""
    if higher:
        return _("Pass or fail: 100 points when the actual reaches the target (≥ target), else 0")
    return _("Pass or fail: 100 points when the actual stays within the target (≤ target), else 0")
