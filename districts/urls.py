from django.urls import path

from districts.views import completeness, quality, review

urlpatterns = [
    path(
        "entry/<str:period>/completeness/",
        completeness.completeness_page,
        name="entry-completeness",
    ),
    path("entry/<str:period>/quality/", quality.quality_page, name="entry-quality"),
    path(
        "entry/<str:district>/<str:period>/review/",
        review.review_page,
        name="entry-review",
    ),
    path("values/<int:pk>/history/", review.value_history, name="value-history"),
]
