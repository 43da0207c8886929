from django.apps import AppConfig


class PagesConfig(AppConfig):
    """What every page shares: the base template's tags and the translation catalogues."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
