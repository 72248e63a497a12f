from django.urls import path

from .views import console, followup, session

app_name = "live"
urlpatterns = [
    path("console/", console.console, name="console"),
    path("console/rows/", console.console_rows, name="console_rows"),
    path("procedures/<int:procedure_id>/console/", console.console, name="procedure_console"),
    path("procedures/<int:procedure_id>/console/rows/", console.console_rows, name="procedure_console_rows"),
    path("procedures/<int:procedure_id>/follow-ups/", console.follow_ups, name="follow_ups"),
    path("sessions/<int:appointment_id>/", session.session_page, name="session"),
    path("sessions/<int:appointment_id>/status/", session.session_status, name="session_status"),
    path("sessions/<int:appointment_id>/do/<slug:action>/", session.session_action, name="session_action"),
    path("sessions/<int:appointment_id>/identity/", session.session_identity, name="session_identity"),
    path("sessions/<int:appointment_id>/rules/", session.session_rules, name="session_rules"),
    path("sessions/<int:appointment_id>/stop/", session.session_stop, name="session_stop"),
    path("sessions/<int:appointment_id>/incident/", session.session_incident, name="session_incident"),
    path("sessions/<int:appointment_id>/call/", session.session_call, name="session_call"),
    path("sessions/<int:appointment_id>/reconnect/", session.session_reconnect, name="session_reconnect"),
    path("sessions/<int:appointment_id>/extra-time/", session.session_extra_time, name="session_extra_time"),
    path("sessions/<int:appointment_id>/declaration/", followup.declaration_submit, name="declaration_submit"),
    path("sessions/<int:appointment_id>/new-appointment/", followup.reschedule, name="reschedule"),
    path("declarations/<int:pk>/decide/", followup.declaration_decide, name="declaration_decide"),
    path("problems/<int:pk>/seen/", session.problem_acknowledge, name="problem_acknowledge"),
]
