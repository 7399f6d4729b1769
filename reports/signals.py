from django.dispatch import receiver

from reports.publication import mark_corrected
from scoring.signals import results_computed


@receiver(results_computed, dispatch_uid="reports.mark_corrected")
def _results_recomputed(sender, *, cycle, actor=None, **kwargs) -> None:
    """A recomputation of published results keeps the publication, marked corrected."""
    mark_corrected(cycle=cycle, actor=actor)
