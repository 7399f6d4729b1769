from django.urls import path

from scoring.entry.views import evidence, history
from scoring.entry.views import grid as entry
from scoring.results import views as results
from scoring.workbook.views import cycle as workbook
from scoring.workbook.views import unit as unit_workbook

app_name = "scoring"

urlpatterns = [
    path("cycles/<int:year>/results/", results.results, name="results"),
    path("cycles/<int:year>/results/compute/", results.compute, name="compute_results"),
    path("cycles/<int:year>/results/<str:county>/grade/", results.override, name="override_grade"),
    path("workbook/", workbook.workbook, name="workbook"),
    path("workbook/template.xlsx", workbook.template_download, name="workbook_template"),
    path("workbook/<int:year>.xlsx", workbook.cycle_download, name="workbook_export"),
    path(
        "workbook/jobs/<int:job>/replace/",
        workbook.replace_confirm,
        name="workbook_replace_confirm",
    ),
    path("cycles/<int:year>/entry/", entry.overview, name="entry"),
    path("cycles/<int:year>/rounds/<slug:round>/status/", entry.matrix, name="entry_matrix"),
    path(
        "cycles/<int:year>/rounds/<slug:round>/status/approve/",
        entry.approve_many,
        name="entry_approve_many",
    ),
    path(
        "cycles/<int:year>/rounds/<slug:round>/entry/<str:indicator>/",
        entry.grid,
        name="entry_grid",
    ),
    path(
        "cycles/<int:year>/rounds/<slug:round>/entry/<str:indicator>/history/<str:county>/",
        history.cell,
        name="history_cell",
    ),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/history/",
        history.indicator,
        name="history_indicator",
    ),
    path(
        "cycles/<int:year>/rounds/<slug:round>/workbook/",
        unit_workbook.unit_workbook,
        name="unit_workbook",
    ),
    path(
        "cycles/<int:year>/rounds/<slug:round>/workbook.xlsx",
        unit_workbook.unit_workbook_download,
        name="unit_workbook_download",
    ),
    path("cycles/<int:year>/evidence/", evidence.evidence_index, name="evidence_index"),
    path(
        "cycles/<int:year>/rounds/<slug:round>/evidence/",
        evidence.evidence_list,
        name="evidence",
    ),
    path("evidence/<int:evidence>/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("counties/<str:county>/history/", history.county, name="history_county"),
    path("users/<str:username>/history/", history.user, name="history_user"),
    path(
        "cycles/<int:year>/rounds/<slug:round>/entry/<str:indicator>/approve/",
        entry.approve,
        name="entry_approve",
    ),
    path(
        "cycles/<int:year>/rounds/<slug:round>/entry/<str:indicator>/return/",
        entry.return_,
        name="entry_return",
    ),
    path(
        "cycles/<int:year>/rounds/<slug:round>/entry/<str:indicator>/reopen/",
        entry.reopen,
        name="entry_reopen",
    ),
]
