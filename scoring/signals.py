"""Signals of the scoring app, for the higher apps that react to new results."""

from django.dispatch import Signal

# Sent by scoring.services.results.compute_results once the results of a cycle are stored,
# inside its transaction; arguments: cycle, actor. The reports app marks published results
# as corrected on it.
results_computed = Signal()
