from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pages.views import healthz

# The admin is where clerks and the bureau enter figures: it says whose it is.
admin.site.site_header = _("Saima administration")
admin.site.site_title = _("Saima administration")
admin.site.index_title = _("Data entry and set-up")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("districts.urls")),
    path("", include("comments.urls")),
    path("meetings/", include("meetings.urls")),
    path("projects/", include("projects.urls")),
    path("", include("rankings.urls")),
]
