from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "interviewdesk.assessment"
    label = "assessment"
