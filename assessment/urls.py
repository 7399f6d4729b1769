from django.urls import path

from assessment.views import indicators, results, workbook

app_name = "assessment"

urlpatterns = [
    path("cycles/<int:year>/results/", results.results, name="results"),
    path("cycles/<int:year>/results/compute/", results.compute, name="compute_results"),
    path("workbook/", workbook.workbook, name="workbook"),
    path("workbook/template.xlsx", workbook.template_download, name="workbook_template"),
    path("workbook/<int:year>.xlsx", workbook.cycle_download, name="workbook_export"),
]

# The indicator pages need cycles and roles, so their views live in this app (the indicators
# app imports no other); they keep the "indicators" namespace: include(indicator_urls).
indicator_urls = (
    [
        path(
            "cycles/<int:year>/indicators/",
            indicators.IndicatorSystemView.as_view(),
            name="system",
        ),
    ],
    "indicators",
)
