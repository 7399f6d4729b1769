from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def county_names(names: Iterable[str], separator: str) -> SafeString:
    """County names in a list that wraps between names, never inside one.

    Joined here rather than in a template loop: with ties, a province's statistics list
    thousands of names, and a loop of template nodes per name is most of the page's time.
    """
    item = '<span class="text-nowrap">{}</span>'
    return mark_safe(  # every name is escaped, and so is the separator
        conditional_escape(separator).join(item.format(escape(name)) for name in names)
    )
