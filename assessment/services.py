"""State changes of the year's frame, and the guards every app's writes go through.

:func:`ensure_cycle_writable` is the one guard against changing an archived year: the
computation, the round closing, the workbook import and the entry of data call it.
"""

from django.utils.translation import gettext as _

from assessment.models import Cycle


class CycleReadOnly(Exception):
    """The cycle is archived: nothing of it may change until it is set back to active."""

    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        super().__init__(
            _(
                "The %(year)s cycle is archived and therefore read-only. The lead department "
                "can set its status back to active in the administration to change it."
            )
            % {"year": cycle.year}
        )


def ensure_cycle_writable(cycle: Cycle) -> None:
    """Raise :class:`CycleReadOnly` when ``cycle`` is archived; reads only its status."""
    if cycle.status == Cycle.Status.ARCHIVED:
        raise CycleReadOnly(cycle)


def refuse_archived_delete(sender, instance: Cycle, **kwargs) -> None:
    """``pre_delete`` receiver: an archived cycle is not deleted, in the admin, by a replacing
    import or anywhere else (the deletion's transaction rolls back)."""
    ensure_cycle_writable(instance)
