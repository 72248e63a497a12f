from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and `load_demo` / `run_demo`: on top of every other app, imported by none."""

    name = "interviewdesk.demo"
    label = "demo"
