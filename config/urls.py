from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.endpoints import api
from assessment.language.views import set_language
from assessment.views import PasswordChangeView
from config.health import HealthView
from reports.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("", include("assessment.urls")),
    path("", include("indicators.urls")),
    path("", include("scoring.urls")),
    path("", include("reports.urls")),
    path("", include("alerts.urls")),
    path("", include("api.urls")),
    path("api/v1/", api.urls),
    # The language switch: the session and the account keep the choice (assessment.language).
    path("i18n/setlang/", set_language, name="set_language"),
    # For the supervisor and the proxy: no login, no user data (config/health.py).
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
]

handler500 = "config.health.server_error"
