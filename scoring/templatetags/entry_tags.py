from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value) -> str:
    """A stored figure as people write it: 25.000000 → 25, 12.500000 → 12.5; None → "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    return str(value)
