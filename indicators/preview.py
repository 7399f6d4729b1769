"""How a sample value would score under a rule item, for the rules form.

The score is the engine's own: :mod:`indicators.methods` holds the method scoring that the
scoring engine (``scoring.results.engine``) uses for a whole cycle.
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.methods import input_problems, score_one
from indicators.params import COMPARATIVE, parse_params


@dataclass(frozen=True)
class Preview:
    score: Decimal | None
    problems: tuple[str, ...] = ()  # codes of indicators.methods.input_problems
    comparative: bool = False  # the score depends on the other counties


def preview(method: str, params: str, direction: str, actual, target) -> Preview:
    """The engine's score of ``actual`` (and ``target``) under the item; the parameters must
    have been checked already."""
    if method in COMPARATIVE:
        return Preview(None, comparative=True)
    problems = tuple(input_problems(method, actual, target))
    if problems:
        return Preview(None, problems)
    parsed = parse_params(method, params, direction)
    return Preview(score_one(method, parsed, direction, actual, target))
