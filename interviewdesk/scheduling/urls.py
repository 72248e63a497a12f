from django.urls import path

from . import views, views_overview

urlpatterns = [
    path("", views_overview.dashboard, name="dashboard"),
    path("procedures/<int:pk>/", views_overview.procedure_detail, name="procedure_detail"),
    path("procedures/<int:pk>/status/", views_overview.procedure_status, name="procedure_status"),
    path("procedures/<int:pk>/candidates/<int:cid>/", views_overview.candidate_detail, name="candidate_detail"),
    path("procedures/<int:pk>/appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:aid>/edit/", views.appointment_edit, name="appointment_edit"),
    path("appointments/<int:aid>/cancel/", views.appointment_cancel, name="appointment_cancel"),
]
