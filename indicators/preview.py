"""How a sample value would score under a rule item, for the rules form.

The scoring engine lives in a higher app (``scoring.results.engine``); it registers its functions
here when it starts (``ScoringConfig.ready``), so that this app shows the engine's own score
without importing upwards.
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.params import COMPARATIVE, parse_params

_engine: dict = {}


def register_engine(*, score_one, input_problems) -> None:
    _engine.update(score_one=score_one, input_problems=input_problems)


@dataclass(frozen=True)
class Preview:
    score: Decimal | None
    problems: tuple[str, ...] = ()  # codes of scoring.results.engine.input_problems
    comparative: bool = False  # the score depends on the other counties


def preview(method: str, params: str, direction: str, actual, target) -> Preview:
    """The engine's score of ``actual`` (and ``target``) under the item; the parameters must
    have been checked already."""
    if method in COMPARATIVE:
        return Preview(None, comparative=True)
    problems = tuple(_engine["input_problems"](method, actual, target))
    if problems:
        return Preview(None, problems)
    parsed = parse_params(method, params, direction)
    return Preview(_engine["score_one"](method, parsed, direction, actual, target))
