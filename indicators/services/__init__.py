"""Business logic of the indicator system: what a cycle's system must satisfy (``weights``),
a new year from the last (``yearcopy``), the year-on-year diff (``diff``), indicator
admission (``admission``)."""

from indicators.services.weights import weight_problems

__all__ = ["weight_problems"]
