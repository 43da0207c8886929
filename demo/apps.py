from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The illustrative demo city."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
