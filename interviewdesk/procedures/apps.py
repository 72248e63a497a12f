from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "interviewdesk.procedures"
    label = "procedures"
