from django.urls import path

from indicators import views

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
]
