from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/two-factor/", views.verify, name="verify"),
    path("accounts/two-factor/set-up/", views.setup, name="setup"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
