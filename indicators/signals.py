"""Signals of the indicator system, for the apps above it.

``cycle_copied`` is sent inside the transaction of :func:`indicators.services.yearcopy.copy_cycle`,
after the new cycle's indicators and rule items exist, so that a higher app copies what it
owns of the source (scoring copies the per-county targets) in the same transaction: the copy
is whole or nothing. Arguments: ``source`` and ``cycle`` (the new one), ``items`` (source rule
item id → new rule item id), ``actor``.
"""

from django.dispatch import Signal

cycle_copied = Signal()
