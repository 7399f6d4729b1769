"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def check_task_broker(app_configs, **kwargs) -> list[Warning]:
    """Without a broker, Celery runs every task eagerly: a computation of thousands of
    counties, or a round closing, would then run inside the web request that starts it."""
    if settings.DEBUG or not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set: background tasks (computations, round closings) "
            "run inside the web request that starts them.",
            hint="Set CELERY_BROKER_URL to a Redis URL and run a Celery worker and beat "
            "(see the README).",
            id="assessment.W001",
        )
    ]
