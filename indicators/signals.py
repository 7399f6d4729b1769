"""Signals of the indicator system, for the apps above it.

``cycle_copied`` is sent inside the transaction of :func:`indicators.services.yearcopy.copy_cycle`,
after the new cycle's indicators and rule items exist, so that each higher app copies what it
owns of the source in the same transaction: the copy is whole or nothing. Arguments:
``source`` and ``cycle`` (the new one), ``items`` (source rule item id → new rule item id),
``actor``.

A genuine plug-in point, not an upward call in disguise: the year copy of this app is whole
without any receiver (the cycle, its rounds, categories, indicators and rule items), it reads
nothing back from a receiver, and any app above may add its own part. Today ``scoring``
copies the per-county targets (``scoring.signals.copy_targets``). Calling that copy from a
service of ``scoring`` instead would move the year-copy page and command out of the app that
owns the year's indicator system.
"""

from django.dispatch import Signal

cycle_copied = Signal()
