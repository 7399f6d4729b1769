"""Charts and explanations prepared ahead, so that no one waits for them: drawn once when
their data change, by the worker, after a computation or a publication.

The pages find them in the cache under the same keys (a digest of what they show), so what is
drawn here is exactly what a page would draw: the feedback page's charts of every county as the
lead department sees them and, once published, as the county sees them, in both widths; the
lead department's dashboard; every county's explanation. Pages draw anything missing
themselves (another language, a chart of one indicator), once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation

from assessment.models import Cycle
from reports.charts import data as charts
from reports.charts.cache import draw_ahead
from reports.explain import explain_ahead
from reports.publication import published_cycle_ids
from scoring.models import CountyResult


@dataclass(frozen=True)
class AheadSummary:
    charts: int  # charts drawn now (those in the cache already are skipped)
    explanations: int


def computed_cycle_ids() -> set[int]:
    """The years whose results the lead department sees (every computed one)."""
    return set(Cycle.objects.filter(results_computed_at__isnull=False).values_list("id", flat=True))


def last_visible(cycle: Cycle, visible: set[int]) -> Cycle | None:
    """The year before ``cycle`` when its results are in ``visible``, else None."""
    last = Cycle.objects.filter(year=cycle.year - 1).first()
    return last if last is not None and last.id in visible else None


def _viewers(cycle: Cycle) -> list[tuple[set[int], bool]]:
    """(visible years, anonymous) of each kind of reader of ``cycle``'s charts."""
    viewers = [(computed_cycle_ids(), False)]
    published = published_cycle_ids()
    if cycle.id in published:
        viewers.append((published, True))
    return viewers


def _chart_data(cycle: Cycle) -> list[charts.ChartData]:
    """What the feedback pages and the dashboard of ``cycle`` show, for each kind of reader."""
    found = []
    counties = [r.county for r in CountyResult.objects.filter(cycle=cycle).select_related("county")]
    for visible, anonymous in _viewers(cycle):
        last = last_visible(cycle, visible)
        for county in counties:
            found.append(charts.county_trend(county=county, cycle_ids=visible))
            found.append(charts.county_profile(cycle=cycle, county=county))
            found.append(
                charts.total_change(cycle=cycle, last=last, own=county.code, anonymous=anonymous)
            )
        if not anonymous:
            found.append(charts.total_distribution(cycle=cycle))
            found.append(charts.total_change(cycle=cycle, last=last, own=None, anonymous=False))
            found.append(charts.every_trend(cycle_ids=visible))
    return found


def prepare_ahead(*, cycle: Cycle) -> AheadSummary:
    """Draw the charts of ``cycle``'s feedback pages and dashboard in both widths, and prepare
    every county's explanation, in the site's language (:data:`settings.LANGUAGE_CODE`).

    Side effects: cache entries only. Idempotent: what is in the cache already is skipped.
    """
    drawn = 0
    with translation.override(settings.LANGUAGE_CODE):
        for data in _chart_data(cycle):
            for narrow in (False, True):
                drawn += draw_ahead(data, narrow=narrow)
    return AheadSummary(charts=drawn, explanations=explain_ahead(cycle=cycle))


def schedule_ahead(cycle: Cycle) -> None:
    """Queue :func:`prepare_ahead` of ``cycle`` for the worker once the current transaction
    commits. Only with ``DRAW_AHEAD`` (on when a broker is set): without a worker the job
    would run inside the request that computed or published, which would wait for every
    drawing; then each page draws what it shows the first time instead."""
    if not settings.DRAW_AHEAD:
        return
    from reports.tasks import prepare_ahead_task  # the task imports this module

    cycle_id = cycle.pk
    transaction.on_commit(lambda: prepare_ahead_task.delay(cycle_id=cycle_id))
