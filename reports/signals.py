from django.dispatch import receiver

from reports.ahead import schedule_ahead
from reports.publication import mark_corrected
from scoring.signals import results_computed


@receiver(results_computed, dispatch_uid="reports.mark_corrected")
def _results_recomputed(sender, *, cycle, actor=None, **kwargs) -> None:
    """A recomputation of published results keeps the publication, marked corrected."""
    mark_corrected(cycle=cycle, actor=actor)


@receiver(results_computed, dispatch_uid="reports.schedule_ahead")
def _draw_ahead(sender, *, cycle, **kwargs) -> None:
    """New results: the worker draws their charts and explanations once the commit is done."""
    schedule_ahead(cycle)
