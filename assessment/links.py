"""Links that a higher app puts on a lower app's page, without the lower app naming them.

A plug-in registry, filled by the higher apps in their ``AppConfig.ready``: the lower app's
page asks it what to show and shows whatever it gets, nothing when nothing is registered. The
layers stay one-way (STYLE.md; ``tests/test_layering.py`` rejects a higher app's URL name in a
lower app): the results page of ``scoring`` links to the statistics, the results workbook and
the explanation of a county's score, which ``reports`` owns and registers here.

Two kinds of link: about a cycle's results (buttons next to the results page's own) and
about one county in a cycle (the row of the county in the results table, and its cells).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    label: str
    url: str


_results_links: list[tuple[str, Callable]] = []
_county_explanation: list[Callable] = []


def register_results_link(*, label: str, url: Callable) -> None:
    """Offer a link about a cycle's results: ``label`` (lazy text) and ``url(cycle)``. Shown
    in the order registered. Side effect: the registry of this process only."""
    _results_links.append((label, url))


def results_links(cycle) -> list[Link]:
    """The links registered about ``cycle``'s results, in their order."""
    return [Link(str(label), url(cycle)) for label, url in _results_links]


def register_county_explanation(*, url: Callable) -> None:
    """Offer the page that explains a county's score: ``url(cycle, county)``. One page only:
    a second registration replaces the first. Side effect: the registry of this process only."""
    _county_explanation[:] = [url]


def county_explanation_url(cycle, county) -> str | None:
    """The address explaining ``county``'s score in ``cycle``; ``None`` when no app offers one."""
    return _county_explanation[0](cycle, county) if _county_explanation else None
