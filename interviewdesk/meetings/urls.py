from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("procedures/<int:pk>/meetings/", views.overview, name="overview"),
    path("procedures/<int:pk>/meetings/retry/", views.retry, name="retry"),
    path("procedures/<int:pk>/meetings/appointments/<int:aid>/", views.appointment_meeting, name="appointment"),
]
