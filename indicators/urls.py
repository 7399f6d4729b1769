from django.urls import path

from indicators import views, views_admission, views_years

app_name = "indicators"

urlpatterns = [
    path("cycles/<int:year>/indicators/", views.IndicatorSystemView.as_view(), name="system"),
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
