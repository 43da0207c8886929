from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rankings"
    verbose_name = _("Races and rankings")

    def ready(self):
        from rankings.leaderboard_cache import connect_state_receivers

        connect_state_receivers()
