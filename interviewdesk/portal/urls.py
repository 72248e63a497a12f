from django.urls import path

from . import (
    staff_checks_views,
    staff_views,
    views,
    views_assessment,
    views_checks,
    views_live,
    views_unavailability,
)

app_name = "portal"
urlpatterns = [
    # Candidate side. Only the first URL carries the token; the rest rely on the session.
    path("p/<str:token>/", views.open_link, name="open"),
    path("portal/", views.overview, name="overview"),
    path("portal/logout/", views.log_out, name="logout"),
    path("me/session/problem/", views_live.candidate_problem, name="candidate_problem"),
    path("portal/appointments/<int:pk>/accept/", views.accept, name="accept"),
    path("portal/appointments/<int:pk>/calendar.ics", views.calendar, name="calendar"),
    path("portal/phone/", views.phone, name="phone"),
    path("portal/equipment/", views.equipment, name="equipment"),
    path("portal/rules/", views.rules, name="rules"),
    path("portal/problem/", views.problem, name="problem"),
    path("portal/room/", views.room, name="room"),
    path("portal/unavailability/", views_unavailability.unavailability, name="unavailability"),
    path("portal/device-check/", views_checks.device_check, name="device_check"),
    path("portal/device-check/ping/", views_checks.ping, name="device_check_ping"),
    path("portal/device-check/download/", views_checks.download, name="device_check_download"),
    path("portal/device-check/upload/", views_checks.upload, name="device_check_upload"),
    path("portal/connection-test/", views_checks.connection_test, name="connection_test"),
    path("portal/adjustments/", views_checks.adjustments_page, name="adjustments"),
    path("portal/feedback.pdf", views_assessment.feedback_pdf, name="feedback_pdf"),
    # Staff side, per procedure.
    path("procedures/<int:pk>/readiness/", staff_views.readiness, name="readiness"),
    path("procedures/<int:pk>/readiness.xlsx", staff_views.readiness_xlsx, name="readiness_xlsx"),
    path("procedures/<int:pk>/room-requests/", staff_views.room_requests, name="room_requests"),
    path("procedures/<int:pk>/room-requests/<int:request_pk>/decide/", staff_views.room_request_decide,
         name="room_request_decide"),
    path("procedures/<int:pk>/problems/<int:report_pk>/resolve/", staff_views.problem_resolve, name="problem_resolve"),
    path("procedures/<int:pk>/candidates/<int:candidate_pk>/link/", staff_views.candidate_link, name="candidate_link"),
    path("procedures/<int:pk>/connection-tests/", staff_checks_views.test_slots, name="test_slots"),
    path("procedures/<int:pk>/connection-tests/bookings/<int:booking_pk>/outcome/", staff_checks_views.test_outcome,
         name="test_outcome"),
    path("procedures/<int:pk>/adjustments/", staff_checks_views.adjustments_staff, name="adjustments_staff"),
    path("procedures/<int:pk>/adjustments/<int:request_pk>/decide/", staff_checks_views.adjustment_decide,
         name="adjustment_decide"),
    path("procedures/<int:pk>/adjustments/<int:request_pk>/certificate/", staff_checks_views.certificate,
         name="certificate"),
]
