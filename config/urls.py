from django.contrib import admin
from django.urls import include, path

from pages.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("districts.urls")),
    path("", include("comments.urls")),
    path("", include("rankings.urls")),
]
