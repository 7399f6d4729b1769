from django.urls import path

from alerts.views import cases, inbox, rectifications, rounds, summary

app_name = "alerts"

ROUND = "cycles/<int:year>/rounds/<slug:round>/"
RECT = "rectifications/<int:rectification>/"

urlpatterns = [
    path("cycles/<int:year>/rounds/", rounds.rounds, name="rounds"),
    path("cycles/<int:year>/rounds/add/", rounds.round_add, name="round_add"),
    path(ROUND, summary.round_summary, name="round_summary"),
    path(ROUND + "edit/", rounds.round_edit, name="round_edit"),
    path(ROUND + "open/", rounds.round_open, name="round_open"),
    path(ROUND + "close/", rounds.round_close, name="round_close"),
    path(ROUND + "reopen/", rounds.round_reopen, name="round_reopen"),
    path(ROUND + "warnings.xlsx", summary.round_warnings_xlsx, name="round_warnings_xlsx"),
    path(ROUND + "diagnosis/<str:county>/", cases.case_open, name="case_open"),
    path("warnings/", inbox.inbox, name="inbox"),
    path("warnings/<int:warning>/", inbox.warning_detail, name="warning"),
    path("warnings/<int:warning>/plan/", inbox.warning_plan, name="warning_plan"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    path(RECT, rectifications.rectification_detail, name="rectification"),
    path(RECT + "revise/", rectifications.rectification_revise, name="rectification_revise"),
    path(RECT + "complete/", rectifications.rectification_complete, name="rectification_complete"),
    path(RECT + "review/", rectifications.rectification_review, name="rectification_review"),
    path(RECT + "evidence/", rectifications.rectification_evidence, name="rectification_evidence"),
    path("cases/<int:case>/", cases.case_detail, name="case"),
    path("cases/<int:case>/edit/", cases.case_update, name="case_update"),
    path("cases/<int:case>/send/", cases.case_send, name="case_send"),
    path("cases/<int:case>/plan/", cases.case_plan, name="case_plan"),
]
