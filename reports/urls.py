from django.urls import path

from reports.views import feedback, results_xlsx, statistics

app_name = "reports"

urlpatterns = [
    path("cycles/<int:year>/results.xlsx", results_xlsx.results_xlsx, name="results_xlsx"),
    path("statistics/", statistics.latest_statistics, name="latest_statistics"),
    path("feedback/", feedback.my_feedback, name="my_feedback"),
    path("cycles/<int:year>/statistics/", statistics.statistics, name="statistics"),
    path("cycles/<int:year>/publish/", statistics.publish_results, name="publish"),
    path("cycles/<int:year>/withdraw/", statistics.withdraw_results, name="withdraw"),
    path(
        "cycles/<int:year>/counties/<str:county>/feedback/",
        feedback.feedback,
        name="feedback",
    ),
]
