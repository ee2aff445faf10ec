from django.urls import include, path

from govhall.workbench import auth_views
from govhall.workbench.views import applicants, audit, calendar, directory, home, staff
from govhall.workbench.views import licenses as license_views
from govhall.workbench.views import notifications as sms_views

app_name = "workbench"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.login, name="login"),
    path("login/verify/", auth_views.verify, name="verify"),
    path("login/enrol/", auth_views.enrol, name="enrol"),
    path("logout/", auth_views.logout, name="logout"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/new/", staff.create_staff, name="create_staff"),
    path("staff/<int:user_id>/roles/", staff.assign_role, name="assign_role"),
    path("roles/<int:assignment_id>/revoke/", staff.revoke_role, name="revoke_role"),
    path("directory/", directory.overview, name="directory"),
    path("directory/departments/new/", directory.create_department, name="create_department"),
    path("directory/regions/new/", directory.create_region, name="create_region"),
    path("directory/sub-halls/<int:pk>/", directory.edit_sub_hall, name="edit_sub_hall"),
    path("directory/centres/<int:pk>/", directory.edit_centre, name="edit_centre"),
    path("calendar/", calendar.notice, name="calendar"),
    path("applicants/", applicants.lookup, name="applicants"),
    path("applicants/<int:user_id>/reveal/", applicants.reveal, name="reveal_applicant"),
    path("audit/", audit.events, name="audit"),
    path("audit/export.csv", audit.export, name="audit_export"),
    path("catalog/", include("govhall.workbench.catalog_urls")),
    path("catalog/import/", include("govhall.workbench.catalog_import_urls")),
    path("appointments/", include("govhall.workbench.appointment_urls")),
    path("applications/", include("govhall.workbench.application_urls")),
    path("feedback/", include("govhall.workbench.feedback_urls")),  # 咨询投诉与好差评 (issue 10)
    path("window/", include("govhall.workbench.window_urls")),
]

urlpatterns += [  # SMS delivery statistics, failures and templates (city office)
    path("notifications/", sms_views.deliveries, name="notifications"),
    path("notifications/<int:message_id>/resend/", sms_views.resend, name="notification_resend"),
    path("notifications/templates/", sms_views.templates, name="notification_templates"),
    path("notifications/templates/<slug:code>/", sms_views.template_edit, name="notification_template"),
    path(
        "notifications/templates/<slug:code>/preview/",
        sms_views.template_preview,
        name="notification_template_preview",
    ),
]

urlpatterns += [  # 电子证照 (issue 9 step 2): outage notices; the license an application cites
    path("licenses/outages/", license_views.outage_list, name="license_outages"),
    path("licenses/outages/<int:pk>/end/", license_views.end_outage, name="license_outage_end"),
    path(
        "applications/<uuid:uid>/cited-license/<int:material_id>/",
        license_views.cited_license,
        name="application_cited_license",
    ),
]
