from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Comments (点评) on published races."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")
