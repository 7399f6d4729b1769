"""Business logic of the indicator system: what a cycle's system must satisfy (``weights``),
a new year from the last (``yearcopy``), the year-on-year diff (``diff``), indicator
admission (``admission``), the detailed rules' workflow and the shared lock (``rules``)."""

from indicators.services.rules import (
    Lock,
    Locked,
    RulesError,
    approve_rules,
    cycle_lock,
    reopen_rules,
    return_rules,
    rules_lock,
    rules_problems,
    save_rules,
    submit_rules,
)
from indicators.services.weights import weight_problems

__all__ = [
    "Lock",
    "Locked",
    "RulesError",
    "approve_rules",
    "cycle_lock",
    "reopen_rules",
    "return_rules",
    "rules_lock",
    "rules_problems",
    "save_rules",
    "submit_rules",
    "weight_problems",
]
