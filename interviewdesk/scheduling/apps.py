from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "interviewdesk.scheduling"
    label = "scheduling"
