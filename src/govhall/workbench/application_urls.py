"""Workbench URLs of applications (issue 7): queues, detail, material and notice viewer, actions."""

from django.urls import path

from govhall.workbench.views import applications, applications_actions

urlpatterns = [
    path("", applications.queue, name="applications"),
    path("<uuid:uid>/", applications.detail, name="application"),
    path("<uuid:uid>/materials/<int:material_id>/", applications.material, name="application_material"),
    path("<uuid:uid>/notices/<int:notice_id>/", applications.notice, name="application_notice"),
    path("<uuid:uid>/<slug:action>/", applications_actions.act, name="application_action"),
]
