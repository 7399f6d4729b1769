from django.urls import path

from assessment.governance import views

app_name = "assessment"

urlpatterns = [
    path("veto-items/", views.veto_items, name="veto_items"),
    path("veto-items/<int:veto_item>/", views.veto_item_edit, name="veto_item_edit"),
    path("veto-items/review/<int:year>/", views.veto_review, name="veto_review"),
    path("cycles/<int:year>/vetoes/", views.cycle_vetoes, name="cycle_vetoes"),
    path(
        "cycles/<int:year>/vetoes/<int:veto>/withdraw/", views.veto_withdraw, name="veto_withdraw"
    ),
    path(
        "cycles/<int:year>/vetoes/<int:veto>/attachment/",
        views.veto_attachment,
        name="veto_attachment",
    ),
]
