from django.urls import path

from govhall.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("receipts/<slug:gateway_name>/", views.receipts, name="receipts"),
]
