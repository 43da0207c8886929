from django.urls import path

from rankings.views import districts, home, indicators, leaderboard, methodology

urlpatterns = [
    path("", home.home, name="home"),
    path("races/<slug:race>/", leaderboard.race_latest, name="race-latest"),
    path("races/<slug:race>/methodology/", methodology.methodology_page, name="methodology"),
    path("races/<slug:race>/<str:period>/", leaderboard.leaderboard, name="leaderboard"),
    path(
        "races/<slug:race>/<str:period>/export.<str:file_format>",
        leaderboard.leaderboard_export,
        name="leaderboard-export",
    ),
    path(
        "races/<slug:race>/<str:period>/publish/",
        leaderboard.leaderboard_publish,
        name="leaderboard-publish",
    ),
    path("districts/<str:code>/", districts.district_page, name="district"),
    path("indicators/<str:code>/", indicators.indicator_page, name="indicator"),
]
