from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def register_links() -> None:
    """Put this app's pages about a cycle's results on the results page of ``scoring``, which
    must not name them (assessment/links.py)."""
    from assessment.links import register_county_explanation, register_results_link

    register_results_link(
        label=_("Statistics and publication"),
        url=lambda cycle: (
            reverse("reports:statistics", kwargs={"year": cycle.year}) + "#publication"
        ),
    )
    register_results_link(
        label=_("Download the results workbook"),
        url=lambda cycle: reverse("reports:results_xlsx", kwargs={"year": cycle.year}),
    )
    register_county_explanation(
        url=lambda cycle, county: reverse(
            "reports:explain", kwargs={"year": cycle.year, "county": county.code}
        )
    )


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from assessment.audit import register
        from reports import signals  # noqa: F401  (connects the receivers)
        from reports.models import ForecastShare, Objection, Publication

        register(ForecastShare, Objection, Publication)
        register_links()

        from reports.services import register_job_kinds

        register_job_kinds()
