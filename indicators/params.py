"""Parsing and validation of scoring-method parameters (``step=4;floor=60``).

Pure functions: no ORM, no settings. Bad parameters are errors when a rule is saved or
imported, never at scoring time, so every check of spec/scoring.md lives here.
"""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
MAX_CAP = Decimal(200)

# Parameter names each method accepts, with their defaults (spec/scoring.md).
DEFAULTS: dict[str, dict[str, Decimal]] = {
    "manual": {},
    "ratio": {"cap": HUNDRED, "floor": Decimal(0)},
    "relative": {"floor": Decimal(0)},
    "linear": {"base": HUNDRED, "per": Decimal(1), "cap": HUNDRED, "floor": Decimal(0)},
    "rank": {"step": Decimal(5), "floor": Decimal(0)},
    "deduction": {"per": Decimal(10)},
    "tiers": {},
    "binary": {},
}
METHODS = tuple(DEFAULTS)
# Methods whose score needs a target value per county.
NEEDS_TARGET = frozenset({"ratio", "linear", "binary"})
# Methods that compare a county with the others on the same item.
COMPARATIVE = frozenset({"relative", "rank"})

# Chinese input methods type full-width separators; read them as their ASCII twins.
_FULLWIDTH = str.maketrans({"；": ";", "＝": "=", "：": ":", "，": ",", "、": ",", "　": " "})


class ParamError(ValueError):
    """Raised with every problem found in a parameter string."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass(frozen=True)
class Params:
    """Parsed parameters of one rule item; every value is a Decimal."""

    values: dict[str, Decimal] = field(default_factory=dict)
    tiers: tuple[tuple[Decimal, Decimal], ...] = ()

    def __getitem__(self, name: str) -> Decimal:
        return self.values[name]

    @property
    def cap(self) -> Decimal:
        """The highest score this item can reach."""
        if self.tiers:
            return max(score for _threshold, score in self.tiers)
        return self.values.get("cap", HUNDRED)


def plain(value: Decimal) -> str:
    """A number as people write it: 70, 12.5 (no trailing zeros, no exponent; 100.0000 → 100).
    The one such helper: the import, the forms, the rules' words and the pages all use it."""
    value = value.normalize()
    if abs(value.adjusted()) > 20:
        return str(value)  # 1E+300, not three hundred digits
    text = format(value, "f")
    return "0" if text == "-0" else text


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _parse_tiers(text: str, direction: str, errors: list[str]) -> tuple:
    tiers = []
    for part in text.split(","):
        if not part.strip():
            continue
        threshold_text, sep, score_text = part.partition(":")
        threshold, score = _number(threshold_text), _number(score_text)
        if not sep or threshold is None or score is None:
            errors.append(_('tier "%(tier)s" is not threshold:score') % {"tier": part.strip()})
            continue
        if not Decimal(0) <= score <= MAX_CAP:
            errors.append(_("tier score %(score)s is outside [0, 200]") % {"score": score})
        tiers.append((threshold, score))
    if not tiers:
        errors.append(_("tiers needs at least one threshold:score"))
        return ()
    # Higher is better: thresholds fall and scores never rise along the list; lower: mirrored.
    for (t1, s1), (t2, s2) in itertools.pairwise(tiers):
        thresholds_ok = t2 < t1 if direction == "higher" else t2 > t1
        if not thresholds_ok or s2 > s1:
            message = (
                _("tiers are not monotone for a higher-is-better indicator: %(a)s then %(b)s")
                if direction == "higher"
                else _("tiers are not monotone for a lower-is-better indicator: %(a)s then %(b)s")
            )
            errors.append(message % {"a": f"{t1}:{s1}", "b": f"{t2}:{s2}"})
            break
    return tuple(tiers)


def parse_params(method: str, text: str | None, direction: str = "higher") -> Params:
    """Parse ``name=value;…`` for ``method`` and check it; raise ParamError listing problems."""
    if method not in DEFAULTS:
        raise ParamError([_('unknown method "%(method)s"') % {"method": method}])
    allowed = DEFAULTS[method]
    errors: list[str] = []
    values = dict(allowed)
    tiers: tuple = ()
    seen: set[str] = set()
    for part in (text or "").translate(_FULLWIDTH).split(";"):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        name = name.strip()
        if not sep:
            errors.append(_('"%(part)s" is not name=value') % {"part": part.strip()})
            continue
        if name in seen:
            errors.append(_('parameter "%(name)s" is given twice') % {"name": name})
            continue
        seen.add(name)
        if method == "tiers" and name == "tiers":
            tiers = _parse_tiers(raw, direction, errors)
            continue
        if name not in allowed:
            errors.append(
                _('unknown parameter "%(name)s" for %(method)s (accepted: %(accepted)s)')
                % {"name": name, "method": method, "accepted": ", ".join(allowed) or "-"}
            )
            continue
        value = _number(raw)
        if value is None:
            errors.append(
                _('%(name)s="%(raw)s" is not a number') % {"name": name, "raw": raw.strip()}
            )
            continue
        values[name] = value
    if method == "tiers" and "tiers" not in seen:
        errors.append(_("tiers needs tiers=threshold:score,…"))
    for name in ("step", "per", "floor"):
        if name in values and values[name] < 0:
            errors.append(
                _("%(name)s must not be negative (%(value)s)")
                % {"name": name, "value": values[name]}
            )
    cap = values.get("cap", HUNDRED)
    if "cap" in values and not HUNDRED <= cap <= MAX_CAP:
        errors.append(_("cap must be between 100 and 200 (%(cap)s)") % {"cap": cap})
    if "floor" in values and values["floor"] > cap:
        errors.append(
            _("floor (%(floor)s) is above cap (%(cap)s)") % {"floor": values["floor"], "cap": cap}
        )
    if errors:
        raise ParamError(errors)
    return Params(values=values, tiers=tiers)
