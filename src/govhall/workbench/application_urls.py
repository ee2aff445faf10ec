"""Workbench URLs of applications (issue 7): queues, detail, material and notice viewer, actions."""

from django.urls import path

from govhall.workbench.views import applications, applications_actions, applications_assignment

urlpatterns = [
    path("", applications.queue, name="applications"),
    path("<uuid:uid>/", applications.detail, name="application"),
    path("<uuid:uid>/materials/<int:material_id>/", applications.material, name="application_material"),
    path("<uuid:uid>/notices/<int:notice_id>/", applications.notice, name="application_notice"),
    path("<uuid:uid>/authorisation/", applications.authorisation, name="application_authorisation"),
    # Issue 8 (Art. 23): claim, release, the admin's reassignment and handover (before the action slug).
    path("<uuid:uid>/claim/", applications_assignment.claim, name="application_claim"),
    path("<uuid:uid>/release/", applications_assignment.release, name="application_release"),
    path("assignment/", applications_assignment.assignment, name="applications_assignment"),
    path(
        "assignment/<int:department_id>/handover/<int:user_id>/",
        applications_assignment.handover,
        name="applications_handover",
    ),
    path("<uuid:uid>/<slug:action>/", applications_actions.act, name="application_action"),
]
