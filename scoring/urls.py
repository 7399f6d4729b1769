from django.urls import path

from scoring.views import results, workbook

app_name = "scoring"

urlpatterns = [
    path("cycles/<int:year>/results/", results.results, name="results"),
    path("cycles/<int:year>/results/compute/", results.compute, name="compute_results"),
    path("cycles/<int:year>/results/<str:county>/grade/", results.override, name="override_grade"),
    path("workbook/", workbook.workbook, name="workbook"),
    path("workbook/template.xlsx", workbook.template_download, name="workbook_template"),
    path("workbook/<int:year>.xlsx", workbook.cycle_download, name="workbook_export"),
]
