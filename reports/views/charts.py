"""The charts as SVG and CSV, the indicator page and the lead department's dashboard.

Every chart has a ``.svg`` and a ``.csv`` URL (the same data); the pages show the picture
with its data as a table beside it. ``….svg?width=narrow`` is the variant for phones, which
the pages offer below 768 px (``<picture>``). What a viewer may see is decided here: the lead
department every computed year, everyone else the published years only; a county sees its
own figures by name and the other counties as places.
"""

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessment.access import (
    ALL_ROLES,
    COUNTY,
    LEAD,
    get_county_for_user,
    get_cycle_or_404,
    require_role,
)
from assessment.exports import csv_row
from assessment.models import Cycle, User
from indicators.access import get_indicator_for_user
from reports.ahead import computed_cycle_ids, last_visible
from reports.charts import data as charts
from reports.charts.cache import cached_svg
from reports.charts.data import ChartData
from reports.publication import published_cycle_ids


def visible_cycle_ids(user: User) -> set[int]:
    """The years whose results ``user`` may see: all computed ones for the lead department."""
    if user.is_lead:
        return computed_cycle_ids()
    return published_cycle_ids()


def _empty(kind: str, title: str) -> ChartData:
    return ChartData(
        kind=kind,
        title=title,
        headers=[],
        rows=[],
        series={"empty": _("The results of this year have not been published yet.")},
    )


def serve(data: ChartData, fmt: str, *, narrow: bool = False) -> HttpResponse:
    """``data`` as an SVG picture (cached; ``narrow``: the variant for phones) or as a CSV
    file (UTF-8 with BOM, for Excel/WPS)."""
    if fmt == "svg":
        response = HttpResponse(cached_svg(data, narrow=narrow), content_type="image/svg+xml")
    else:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(csv_row(data.headers))
        writer.writerows(csv_row(row) for row in data.rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{data.filename}.csv"'
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- the data of each chart, for the viewer -------------------------------------------------


def county_trend_data(request: HttpRequest, county: str) -> ChartData:
    county_obj = get_county_for_user(request.user, county)
    return charts.county_trend(county=county_obj, cycle_ids=visible_cycle_ids(request.user))


def county_profile_data(request: HttpRequest, year: int, county: str) -> ChartData:
    county_obj = get_county_for_user(request.user, county)
    cycle = get_cycle_or_404(year)
    if cycle.id not in visible_cycle_ids(request.user):
        return _empty("profile", county_obj.name)
    return charts.county_profile(cycle=cycle, county=county_obj)


def indicator_data(request: HttpRequest, year: int, indicator: str) -> ChartData:
    cycle = get_cycle_or_404(year)
    ind = get_indicator_for_user(request.user, cycle, indicator)
    if cycle.id not in visible_cycle_ids(request.user):
        return _empty("indicator", f"{ind.code} {ind.name}")
    own = request.user.county.code if request.user.is_county else None
    return charts.indicator_across(
        cycle=cycle, indicator=ind, own=own, anonymous=request.user.is_county
    )


def change_data(request: HttpRequest, year: int) -> ChartData:
    cycle = get_cycle_or_404(year)
    visible = visible_cycle_ids(request.user)
    if cycle.id not in visible:
        return _empty("change", str(cycle.year))
    own = request.user.county.code if request.user.is_county else None
    return charts.total_change(
        cycle=cycle,
        last=last_visible(cycle, visible),
        own=own,
        anonymous=request.user.is_county,
    )


def distribution_data(request: HttpRequest, year: int) -> ChartData:
    return charts.total_distribution(cycle=get_cycle_or_404(year))


def trends_data(request: HttpRequest) -> ChartData:
    return charts.every_trend(cycle_ids=visible_cycle_ids(request.user))


def _chart_view(builder, *roles):
    """Two views (SVG, CSV) over one data builder, with the roles declared on each."""

    def make(fmt):
        @require_role(*roles)
        @require_safe
        def view(request: HttpRequest, **kwargs) -> HttpResponse:
            narrow = request.GET.get("width") == "narrow"
            return serve(builder(request, **kwargs), fmt, narrow=narrow)

        view.__name__ = f"{builder.__name__}_{fmt}"
        return view

    return make("svg"), make("csv")


county_trend_svg, county_trend_csv = _chart_view(county_trend_data, LEAD, COUNTY)
county_profile_svg, county_profile_csv = _chart_view(county_profile_data, LEAD, COUNTY)
indicator_svg, indicator_csv = _chart_view(indicator_data, *ALL_ROLES)
change_svg, change_csv = _chart_view(change_data, *ALL_ROLES)
distribution_svg, distribution_csv = _chart_view(distribution_data, LEAD)
trends_svg, trends_csv = _chart_view(trends_data, LEAD)


# --- pages ----------------------------------------------------------------------------------


@require_role(*ALL_ROLES)
@require_safe
def indicator_page(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    """One indicator across every county of a year, as a chart and a table."""
    cycle = get_cycle_or_404(year)
    ind = get_indicator_for_user(request.user, cycle, indicator)
    return render(
        request,
        "reports/indicator.html",
        {
            "cycle": cycle,
            "indicator": ind,
            "chart": indicator_data(request, year, indicator),
            "visible": cycle.id in visible_cycle_ids(request.user),
        },
    )


@require_role(LEAD)
@require_safe
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """The lead department's dashboard: distribution of totals, every county's trend and
    every county's change against last year."""
    cycle = get_cycle_or_404(year)
    return render(
        request,
        "reports/dashboard.html",
        {
            "cycle": cycle,
            "years": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "distribution": distribution_data(request, year),
            "change": change_data(request, year),
            "trends": trends_data(request),
        },
    )
