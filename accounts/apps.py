from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Roles, access and sign-in."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
