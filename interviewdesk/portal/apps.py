from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "interviewdesk.portal"
    label = "portal"
