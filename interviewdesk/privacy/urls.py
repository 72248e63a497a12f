from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("privacy/<str:lang>/", views.notice, name="notice_in"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accessibility/<str:lang>/", views.accessibility, name="accessibility_in"),
]
