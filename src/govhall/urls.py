"""URL map: the three faces (portal, workbench, API), the admin and the health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from govhall.api.urls import api
from govhall.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("workbench/", include("govhall.workbench.urls")),
    path("notifications/", include("govhall.notifications.urls")),
    path("", include("govhall.portal.urls")),
]

if settings.BENCH_BARE_VIEW:
    urlpatterns.insert(0, path("bench/bare", core_views.bare, name="bench_bare"))

handler400 = "govhall.core.views.bad_request"
handler403 = "govhall.core.views.permission_denied"
handler404 = "govhall.core.views.page_not_found"
handler500 = "govhall.core.views.server_error"

# /admin needs the second factor too: no back door around TOTP (Art. 23).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = settings.HALL["name"] + " 管理后台"
admin.site.site_title = settings.HALL["name"]
admin.site.index_title = "系统管理"
