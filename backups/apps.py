from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Whole-deployment archives: export_all and import_all."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "backups"
