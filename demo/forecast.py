"""The year-end forecast in the demo city: the current year's April forecast is shared with
the counties (each sees its own); the past years' forecasts show their error on the page."""

from assessment.models import Cycle, Round, User
from demo.plan import CURRENT_YEAR
from reports.forecast import share_forecast


def share_demo_forecast(*, lead: User) -> None:
    """Side effects: shares the forecast from the current year's closed April round with
    the counties (audited), when that round is closed."""
    cycle = Cycle.objects.get(year=CURRENT_YEAR)
    april = Round.objects.filter(cycle=cycle, code="april", status=Round.Status.CLOSED).first()
    if april is not None:
        share_forecast(cycle=cycle, round=april, actor=lead)
