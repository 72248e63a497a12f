from django.urls import path

from . import views, views_replies

app_name = "messaging"
urlpatterns = [
    path("procedures/<int:pk>/mail/", views.procedure_log, name="procedure"),
    path("procedures/<int:pk>/mail/<int:mid>/", views.message_detail, name="message"),
    path("procedures/<int:pk>/mail/<int:mid>/message.ics", views.message_ics, name="message_ics"),
    path("procedures/<int:pk>/mail/retry/", views.retry, name="retry"),
    path("procedures/<int:pk>/mail/send-all/", views.bulk, name="bulk"),
    path("procedures/<int:pk>/mail/send-all/<int:run_id>/progress/", views.bulk_progress_partial,
         name="bulk_progress"),
    path("procedures/<int:pk>/candidates/<int:cid>/mail/", views.candidate_log, name="candidate"),
    path("procedures/<int:pk>/appointments/<int:aid>/calendar.ics", views.appointment_ics, name="appointment_ics"),
    path("procedures/<int:pk>/appointments/<int:aid>/send/", views.send_one, name="send"),
    path("procedures/<int:pk>/at-risk/", views.at_risk, name="at_risk"),
    path("procedures/<int:pk>/mail/calendar-answers/", views_replies.reply_reviews, name="reply_reviews"),
    path("procedures/<int:pk>/mail/calendar-answers/<int:rid>/handled/", views_replies.reply_review_handled,
         name="reply_review_handled"),
]
