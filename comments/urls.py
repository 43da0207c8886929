from django.urls import path

from comments import views

urlpatterns = [
    path("races/<slug:race>/<str:period>/comments/", views.race_comments, name="race-comments"),
    path("comments/", views.comment_list, name="comment-list"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment-remove"),
    path("comments/<int:pk>/respond/", views.comment_respond, name="comment-respond"),
]
