from django.urls import path

from . import portal_views, staff_views, views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("privacy/<str:lang>/", views.notice, name="notice_in"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accessibility/<str:lang>/", views.accessibility, name="accessibility_in"),
    # The officer, per procedure.
    path("procedures/<int:pk>/privacy/", staff_views.procedure_privacy, name="procedure"),
    path("procedures/<int:pk>/candidates/<int:cid>/erase/", staff_views.candidate_erase, name="candidate_erase"),
    path("procedures/<int:pk>/candidates/<int:cid>/data/", staff_views.candidate_export_view,
         {"file_format": "html"}, name="candidate_export"),
    path("procedures/<int:pk>/candidates/<int:cid>/data.json", staff_views.candidate_export_view,
         {"file_format": "json"}, name="candidate_export_json"),
    path("procedures/<int:pk>/candidates/<int:cid>/data.pdf", staff_views.candidate_export_view,
         {"file_format": "pdf"}, name="candidate_export_pdf"),
    # The candidate, from the personal page (the session says who).
    path("portal/my-data/", portal_views.my_data, name="my_data"),
    path("portal/my-data/all/", portal_views.my_data_download, {"file_format": "html"}, name="my_data_page"),
    path("portal/my-data/all.json", portal_views.my_data_download, {"file_format": "json"}, name="my_data_json"),
    path("portal/my-data/all.pdf", portal_views.my_data_download, {"file_format": "pdf"}, name="my_data_pdf"),
]
