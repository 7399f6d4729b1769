"""Pages of the assessments around the annual one, by topic."""

from assessment.models import Cycle


def all_years() -> list[int]:
    """The years for the year selector of a page about one year."""
    return list(Cycle.objects.order_by("-year").values_list("year", flat=True))
