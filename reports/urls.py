from django.urls import path

from reports.views import results_xlsx

app_name = "reports"

urlpatterns = [
    path("cycles/<int:year>/results.xlsx", results_xlsx.results_xlsx, name="results_xlsx"),
]
