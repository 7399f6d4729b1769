"""Checks across the rows of a sheet or across sheets: the weights sum to the total points,
the shares of each indicator to 100, every indicator has rule items, and no county is
exempt from every indicator. Each lists its problem on the reader, where the sheet readers
call it, so that the problems stay in sheet order."""

from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.workbook.cells import show
from scoring.workbook.reader import Reader
from scoring.workbook.sheets import Sheet

HUNDRED = Decimal(100)


def weights_sum_to_total(reader: Reader, sheet: Sheet, total_weight: Decimal | None) -> None:
    """The indicators' weights sum to the total points (unchecked when a weight or the total
    could not be read: their problems are listed already)."""
    total = reader.data.settings.get("total_points")
    if total_weight is not None and isinstance(total, Decimal) and total_weight != total:
        reader.add(
            sheet.header("weight"),
            _("the weights sum to %(sum)s, not the total points %(total)s")
            % {"sum": show(total_weight), "total": show(total)},
        )


def shares_sum_to_hundred(reader: Reader, sheet: Sheet, shares: dict[str, list]) -> None:
    """``shares``: indicator code → [row of its first item, sum of the shares, all valid]."""
    for indicator, (first, total, valid) in shares.items():
        if valid and total != HUNDRED:
            reader.add(
                sheet.row(first),
                _("the shares of indicator %(code)s sum to %(sum)s, not 100")
                % {"code": indicator, "sum": show(total)},
            )


def every_indicator_has_items(reader: Reader, shares: dict[str, list]) -> None:
    """Every indicator of the indicators sheet has a rule item (a key of ``shares``)."""
    if reader.indicators_sheet is None:
        return
    for code, row_number in reader.indicator_rows.items():
        if code not in shares:
            reader.add(
                reader.indicators_sheet.row(row_number),
                _("indicator %(code)s has no rule items") % {"code": code},
            )


def no_county_exempt_from_all(
    reader: Reader, sheet: Sheet, exempt: dict[str, set], first_row: dict[str, int]
) -> None:
    """``exempt``: county → indicator codes; ``first_row``: county → its first exemption."""
    indicators = set(reader.data.indicators)
    for county, codes in exempt.items():
        if indicators and codes >= indicators:
            reader.add(
                sheet.row(first_row[county]),
                _('county "%(county)s" is exempt from every indicator') % {"county": county},
            )
