from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "interviewdesk.live"
    label = "live"
