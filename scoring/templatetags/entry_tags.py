from decimal import Decimal

from django import template

from indicators.params import plain as plain_number

register = template.Library()


@register.filter
def plain(value) -> str:
    """A stored figure as people write it: 25.000000 → 25, 12.500000 → 12.5; None → "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return plain_number(value)
    return str(value)
