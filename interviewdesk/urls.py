from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from interviewdesk.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin logs in through the staff login (password, then second factor), never its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("interviewdesk.accounts.urls")),
    path("", include("interviewdesk.procedures.urls")),
    path("", include("interviewdesk.scheduling.urls")),
    path("", include("interviewdesk.meetings.urls")),
    path("", include("interviewdesk.messaging.urls")),
    path("", include("interviewdesk.portal.urls")),
    path("", include("interviewdesk.live.urls")),
    path("", include("interviewdesk.assessment.urls")),
    path("", include("interviewdesk.planning.urls")),
    path("", include("interviewdesk.setup.urls")),
    path("", include("interviewdesk.privacy.urls")),
]
