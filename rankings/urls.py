from django.contrib.auth import views as auth_views
from django.urls import path

from rankings.views import comments, districts, home, indicators, leaderboard, methodology

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
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
    path("races/<slug:race>/<str:period>/comments/", comments.race_comments, name="race-comments"),
    path("comments/", comments.comment_list, name="comment-list"),
    path("comments/<int:pk>/edit/", comments.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/remove/", comments.comment_remove, name="comment-remove"),
    path("comments/<int:pk>/respond/", comments.comment_respond, name="comment-respond"),
    path("districts/<str:code>/", districts.district_page, name="district"),
    path("indicators/<str:code>/", indicators.indicator_page, name="indicator"),
]
