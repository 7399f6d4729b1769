"""Pages of the assessments around the annual one, by topic."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.models import Cycle
from assessment.services import ensure_cycle_writable


def all_years() -> list[int]:
    """The years for the year selector of a page about one year."""
    return list(Cycle.objects.order_by("-year").values_list("year", flat=True))


def confirm_page(
    request: HttpRequest,
    *,
    cycle: Cycle,
    title: str,
    changes: list[str],
    confirm: str,
    back: tuple[str, str],
) -> HttpResponse:
    """The GET of a destructive action: ``changes``, what it will change, and the button
    (labelled ``confirm``) that POSTs to the same URL; ``back`` is the (label, URL) of the page
    it came from, for the breadcrumb and Cancel. An archived ``cycle`` shows why nothing can
    change instead of the button."""
    try:
        ensure_cycle_writable(cycle, refusal=ValidationError)
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    else:
        refusal = ""
    back_label, back_url = back
    return render(
        request,
        "assessment/confirm.html",
        {
            "title": title,
            "changes": changes,
            "confirm": confirm,
            "back_label": back_label,
            "back_url": back_url,
            "refusal": refusal,
        },
    )
