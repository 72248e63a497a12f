from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "interviewdesk.messaging"
    label = "messaging"
