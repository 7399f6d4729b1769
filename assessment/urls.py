"""The frame's pages (namespace ``assessment``): the file jobs and the governance pages."""

from django.urls import path

from assessment.governance.urls import urlpatterns as governance_urlpatterns
from assessment.jobs import views as jobs

app_name = "assessment"

urlpatterns = [
    path("workbook/jobs/<int:job>/", jobs.job_detail, name="file_job"),
    path("workbook/jobs/<int:job>/result/", jobs.job_result, name="file_job_result"),
    path("workbook/jobs/<int:job>/restart/", jobs.job_restart, name="file_job_restart"),
    path("workbook/jobs/<int:job>/drop/", jobs.job_drop, name="file_job_drop"),
    *governance_urlpatterns,
]
