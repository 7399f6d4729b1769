"""The words of the one input check (:func:`indicators.methods.input_problems`).

The engine says which rule a value breaks, as a code, without touching settings or
translations; this module says it in the user's language, for the import, the model's
``clean()`` and the entry forms.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from indicators.methods import value_errors
from indicators.params import plain

# The message of each value error; ``%(value)s`` is the value.
MESSAGES = {
    "negative_actual": gettext_noop("must not be negative (%(value)s)"),
    "negative_target": gettext_noop("must not be negative (%(value)s)"),
    "manual_range": gettext_noop("a direct score must be within [0, 100] (%(value)s)"),
    "target_not_positive": gettext_noop(
        "the target of a completion-ratio item must be greater than 0 (%(value)s)"
    ),
}


def value_messages(method: str, actual: Decimal | None, target: Decimal | None) -> dict[str, str]:
    """:func:`indicators.methods.value_errors` as messages in the active language, by field."""
    errors = value_errors(method, actual, target)
    if not errors:
        return errors  # the common case, on every row of a national import
    values = {"actual": actual, "target": target}
    return {
        name: _(MESSAGES[code]) % {"value": plain(values[name])} for name, code in errors.items()
    }
