from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "interviewdesk.core"
    label = "core"
