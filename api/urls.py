from django.urls import path

from api import views

app_name = "api_tokens"

urlpatterns = [
    path("api/tokens/", views.tokens, name="tokens"),
    path("api/tokens/<int:token>/revoke/", views.revoke, name="revoke"),
]
