"""What activating a draft year would change, shown before the lead department confirms."""

from dataclasses import dataclass

from assessment.access import current_cycle
from assessment.models import Cycle
from assessment.services import activation_problems
from indicators.models import Indicator, RuleItem


@dataclass(frozen=True)
class ActivationPreview:
    cycle: Cycle
    problems: list[str]  # the activation checks' problems; empty: the year can be activated
    opens_now: Cycle | None  # the year the pages open on now
    opens_after: Cycle  # the year they open on once this one is active
    still_active: list[Cycle]  # other active years: activation archives none of them
    indicators: int
    items: int
    counties: int
    rounds: int

    @property
    def switches(self) -> bool:
        """The pages of every role open on another year after the activation."""
        return self.opens_now != self.opens_after


def preview_activation(*, cycle: Cycle) -> ActivationPreview:
    """What :func:`assessment.services.set_cycle_status` to active would do to ``cycle``:
    the checks' outcome, the year every page opens on before and after (the latest active
    one), the other active years (they stay active: nothing is archived), and what the year
    holds. No side effects."""
    still_active = list(
        Cycle.objects.filter(status=Cycle.Status.ACTIVE).exclude(pk=cycle.pk).order_by("-year")
    )
    latest = still_active[0] if still_active else None
    return ActivationPreview(
        cycle=cycle,
        problems=activation_problems(cycle),
        opens_now=current_cycle(),
        opens_after=cycle if latest is None or cycle.year > latest.year else latest,
        still_active=still_active,
        indicators=Indicator.objects.filter(cycle=cycle).count(),
        items=RuleItem.objects.filter(cycle=cycle).count(),
        counties=cycle.counties.count(),
        rounds=cycle.rounds.count(),
    )
