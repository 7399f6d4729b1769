from django.urls import path

from indicators import views, views_admission, views_evaluations, views_years

app_name = "indicators"

urlpatterns = [
    path("cycles/<int:year>/indicators/", views.IndicatorSystemView.as_view(), name="system"),
    path("cycles/<int:year>/rules/", views.rules_list, name="rules_list"),
    path("cycles/<int:year>/booklet/", views.booklet, name="booklet"),
    path("cycles/<int:year>/indicators/<str:indicator>/rules/", views.rules, name="rules"),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/rules/submit/",
        views.rules_submit,
        name="rules_submit",
    ),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/rules/approve/",
        views.rules_approve,
        name="rules_approve",
    ),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/rules/return/",
        views.rules_return,
        name="rules_return",
    ),
    path(
        "cycles/<int:year>/indicators/<str:indicator>/rules/reopen/",
        views.rules_reopen,
        name="rules_reopen",
    ),
    path("cycles/<int:year>/evaluations/", views_evaluations.evaluations, name="evaluations"),
    path(
        "cycles/<int:year>/evaluations/<str:unit>/<str:county>/",
        views_evaluations.evaluation,
        name="evaluation",
    ),
    path(
        "cycles/<int:year>/evaluations/<str:unit>/<str:county>/approve/",
        views_evaluations.evaluation_approve,
        name="evaluation_approve",
    ),
    path(
        "cycles/<int:year>/evaluations/<str:unit>/<str:county>/return/",
        views_evaluations.evaluation_return,
        name="evaluation_return",
    ),
    path(
        "cycles/<int:year>/evaluations/<str:unit>/<str:county>/reopen/",
        views_evaluations.evaluation_reopen,
        name="evaluation_reopen",
    ),
    path("cycles/new/", views_years.new_cycle, name="new_cycle"),
    path("cycles/<int:year>/setup/", views_years.setup, name="setup"),
    path("cycles/<int:year>/activate/", views_years.activate, name="activate"),
    path("cycles/<int:year>/changes/", views_years.changes, name="changes"),
    path(
        "cycles/<int:year>/setup/indicators/new/",
        views_years.indicator_form,
        name="indicator_add",
    ),
    path(
        "cycles/<int:year>/setup/indicators/<str:indicator>/",
        views_years.indicator_form,
        name="indicator_edit",
    ),
    path(
        "cycles/<int:year>/setup/indicators/<str:indicator>/delete/",
        views_years.indicator_delete,
        name="indicator_delete",
    ),
    path("proposals/", views_admission.proposals, name="proposals"),
    path("proposals/<int:proposal>/", views_admission.proposal, name="proposal"),
    path(
        "proposals/<int:proposal>/review/", views_admission.proposal_review, name="proposal_review"
    ),
    path(
        "proposals/<int:proposal>/decide/", views_admission.proposal_decide, name="proposal_decide"
    ),
    path("proposals/<int:proposal>/add/", views_admission.proposal_add, name="proposal_add"),
]
