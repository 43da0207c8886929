from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Roles, access and sign-in."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.identity import connect_receivers
        from accounts.sessions import touch_on_sign_in

        connect_receivers()

        user_logged_in.connect(touch_on_sign_in, dispatch_uid="accounts.touch_on_sign_in")
