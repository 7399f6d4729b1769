from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("cycles/<int:year>/indicators/", views.IndicatorSystemView.as_view(), name="system"),
]
