from django.urls import path

from . import views

urlpatterns = [
    path("procedures/<int:pk>/candidates/new/", views.candidate_create, name="candidate_create"),
    path("procedures/<int:pk>/candidates/import/", views.candidate_import, name="candidate_import"),
    path("procedures/<int:pk>/candidates/import/preview/", views.candidate_import_preview,
         name="candidate_import_preview"),
    path("procedures/<int:pk>/candidates/import/confirm/", views.candidate_import_confirm,
         name="candidate_import_confirm"),
    path("procedures/<int:pk>/candidates/import/discard/", views.candidate_import_discard,
         name="candidate_import_discard"),
    path("procedures/<int:pk>/candidates/<int:cid>/edit/", views.candidate_edit, name="candidate_edit"),
]
