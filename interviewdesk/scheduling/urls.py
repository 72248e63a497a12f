from django.urls import path

from . import views

urlpatterns = [
    path("procedures/<int:pk>/appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:aid>/edit/", views.appointment_edit, name="appointment_edit"),
    path("appointments/<int:aid>/cancel/", views.appointment_cancel, name="appointment_cancel"),
]
