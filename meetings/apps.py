from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """The quarterly horse-race meeting: results notice (通报), exchange speeches, leaders'
    comments, deployment tasks and rectification (整改) follow-up."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from meetings import signals  # noqa: F401  (rectification items after publishing)
