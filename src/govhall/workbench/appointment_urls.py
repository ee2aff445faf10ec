"""Workbench URLs of appointments (issue 6): the window's day view, check-in, serve, staff
cancellation, the centre's capacity and the supervision figures."""

from django.urls import path

from govhall.workbench.views import appointments

urlpatterns = [
    path("", appointments.day, name="appointments"),
    path("check-in/", appointments.check_in, name="appointment_check_in"),
    path("<int:pk>/serve/", appointments.serve, name="appointment_serve"),
    path("<int:pk>/cancel/", appointments.cancel, name="appointment_staff_cancel"),
    path("centres/<int:centre_id>/capacity/", appointments.capacity, name="appointment_capacity"),
    path("figures/", appointments.figures, name="appointment_figures"),
]
