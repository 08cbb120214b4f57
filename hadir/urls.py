from django.contrib import admin
from django.urls import include, path

from hadir.api import api
from hadir.core.views import healthz
from hadir.web.views.auth import admin_login

# The admin is for BKPSDM staff: its names are Indonesian (Django translates its own words).
admin.site.site_header = "hadir: administrasi"
admin.site.site_title = "hadir"
admin.site.index_title = "Data kehadiran, disiplin dan TPP"
# One login for staff: the staff web's (lockout, TOTP for admins and operators; hadir/web).
admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("iclock/", include("hadir.devices.urls")),
    path("biometrics/", include("hadir.biometrics.urls")),
    path("web/", include("hadir.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/", include("hadir.pwa.urls")),
]
