"""Business logic of the indicator system: what a cycle's system must satisfy (``weights``),
a new year from the last (``yearcopy``), the year-on-year diff (``diff``), indicator
admission (``admission``), the detailed rules' workflow (``rules``)."""

from indicators.services.rules import (
    RulesError,
    approve_rules,
    reopen_rules,
    return_rules,
    rules_lock,
    rules_problems,
    save_rules,
    submit_rules,
)
from indicators.services.weights import weight_problems

__all__ = [
    "RulesError",
    "approve_rules",
    "reopen_rules",
    "return_rules",
    "rules_lock",
    "rules_problems",
    "save_rules",
    "submit_rules",
    "weight_problems",
]
