from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from villages.views.health import healthz
from villages.views.users import PasswordChangeView

urlpatterns = [
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("healthz", healthz, name="healthz"),  # for the load balancer: no sign-in, no session
    path("admin/", admin.site.urls),
    path("", include("villages.urls")),
    path("", include("voters.urls")),
    path("", include("candidates.urls")),
    path("", include("ballots.urls")),
    path("", include("archive.urls")),
    path("reports/", include("reports.urls")),
]
