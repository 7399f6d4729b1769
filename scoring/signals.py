"""Signals of the scoring app (for the higher apps that react to new results) and the
receivers of the lower apps' signals."""

from django.dispatch import Signal

from scoring.models import AnnualInput

BATCH = 5000

# Sent by scoring.results.services.compute_results once the results of a cycle are stored,
# inside its transaction; arguments: cycle, actor. The reports app marks published results
# as corrected on it.
results_computed = Signal()


def copy_targets(sender, *, source, cycle, items, **kwargs) -> None:
    """A new year copied from ``source`` keeps the per-county targets of its rule items (the
    indicator system's targets), never the actuals. Runs inside the copy's transaction."""
    counties = set(cycle.counties.values_list("pk", flat=True))
    AnnualInput.objects.bulk_create(
        (
            AnnualInput(cycle=cycle, county_id=county_id, item_id=items[item_id], target=target)
            for county_id, item_id, target in AnnualInput.objects.filter(
                cycle=source, target__isnull=False
            ).values_list("county_id", "item_id", "target")
            if county_id in counties
        ),
        batch_size=BATCH,
    )
