"""Reading one spreadsheet cell into a typed value.

Cells come as plain Python values (python-calamine, openpyxl or pasted text): ``str``,
``int``, ``float``, ``bool``, dates or ``None``. Each reader returns the typed value or raises
:class:`CellProblem` whose message says, in the user's language, what is wrong with it. The
whole-cycle import uses them, and so can any other reader of cells (a unit's template
upload, a grid pasted from Excel).
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from indicators.params import plain


class CellProblem(ValueError):
    """A cell that does not hold what its column needs; the message says why."""


class _Invalid:
    """Marks a value that was read but is wrong (its problem is already listed)."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = _Invalid()


def show(value: Decimal) -> str:
    """A Decimal as shown in a message, without trailing zeros or exponent: 100.0000 → 100."""
    return plain(value)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def float_decimal(value: float) -> Decimal:
    # Excel keeps 15 significant digits: what the user typed (or sees) is the value rounded
    # to 15 digits, without the binary noise of a float (0.30000000000000004 → 0.3).
    return Decimal(format(value, ".15g"))


def text(value) -> str:
    """A cell as text; a number typed where a code belongs (101, 101.0) becomes "101"."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(float_decimal(value), "f")
    if isinstance(value, int):
        return str(value)
    return str(value)


def number(value, *, percent: str = "") -> Decimal | None:
    """A cell as a Decimal, None when blank; raise :class:`CellProblem` when not a number.

    ``percent="fraction"`` reads ``30%`` as 0.30; ``percent="points"`` reads ``33.33%`` as 33.33.
    """
    if isinstance(value, bool):
        raise CellProblem(_('"%(value)s" is not a number') % {"value": text(value)})
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellProblem(_('"%(value)s" is not a number') % {"value": value})
        return float_decimal(value)
    if isinstance(value, int):
        return Decimal(value)
    if blank(value):
        return None
    if not isinstance(value, str):
        raise CellProblem(_('"%(value)s" is not a number') % {"value": value})
    written = value.strip().replace("％", "%")
    scale = Decimal(1)
    if percent and written.endswith("%"):
        written = written[:-1].strip()
        scale = Decimal("0.01") if percent == "fraction" else Decimal(1)
    try:
        result = Decimal(written)
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise CellProblem(_('"%(value)s" is not a number') % {"value": value.strip()})
    return result * scale


def fit(value: Decimal, max_digits: int, places: int) -> Decimal:
    """``value`` unchanged if a DecimalField(max_digits, places) stores it exactly."""
    if abs(value) >= Decimal(10) ** (max_digits - places):
        raise CellProblem(_("%(value)s is too large") % {"value": show(value)})
    if value.as_tuple().exponent < -places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise CellProblem(
            _("%(value)s has more than %(places)s decimal places")
            % {"value": show(value), "places": places}
        )
    return value


def fits(max_digits: int, places: int):
    """A check for :func:`fit` into DecimalField(max_digits, places)."""
    return lambda value: fit(value, max_digits, places)


def not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise CellProblem(_("must not be negative (%(value)s)") % {"value": show(value)})
    return value


def positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise CellProblem(_("must be greater than 0 (%(value)s)") % {"value": show(value)})
    return value


def input_value(raw) -> Decimal | None:
    """An input value (actual, target, progress): a Decimal that the inputs' fields store
    (24 digits, 6 places), None when blank; raise :class:`CellProblem` otherwise."""
    if raw.__class__ is float and -1e15 < raw < 1e15:
        # The common case, a plain number, without the general checks: at most 15
        # significant digits, so it fits 24 digits if it has at most 6 decimals.
        written = format(raw, ".15g")
        dot = written.find(".")
        if "e" not in written and (dot < 0 or len(written) - dot <= 7):
            return Decimal(written)
    value = number(raw)
    return value if value is None else fit(value, 24, 6)
