from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("cycles/<int:year>/results.xlsx", views.results_xlsx, name="results_xlsx"),
]
