"""Workbench URLs of the comprehensive window (issue 8, Art. 9): find, verify, scan, continue,
walk-in registration, receipt, instant decision."""

from django.urls import path

from govhall.workbench.views import window_desk

urlpatterns = [
    path("", window_desk.desk, name="window"),
    path("walk-in/<str:code>/", window_desk.walk_in, name="window_walk_in"),
    path("<uuid:uid>/", window_desk.detail, name="window_application"),
    path("<uuid:uid>/materials/<int:material_id>/", window_desk.material, name="window_material"),
    path("<uuid:uid>/materials/<int:material_id>/verify/", window_desk.verify, name="window_verify"),
    path("<uuid:uid>/scan/", window_desk.scan, name="window_scan"),
    path("<uuid:uid>/proceed/", window_desk.proceed, name="window_proceed"),
    path("<uuid:uid>/instant/", window_desk.instant, name="window_instant"),
    path("<uuid:uid>/receipt.pdf", window_desk.receipt, name="window_receipt"),
]
