from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "interviewdesk.planning"
    label = "planning"
