from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("procedures/<int:pk>/meetings/", views.overview, name="overview"),
    path("procedures/<int:pk>/meetings/retry/", views.retry, name="retry"),
]
