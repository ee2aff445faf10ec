from django.urls import path

from govhall.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("personal/", views.personal, name="personal"),
    path("enterprise/", views.enterprise, name="enterprise"),
    path("sub-halls/", views.sub_halls, name="sub_halls"),
    path("sub-halls/<str:code>/", views.sub_hall, name="sub_hall"),
    path("centres/", views.centres, name="centres"),
    path("centres/<slug:code>/", views.centre, name="centre"),
    path("departments/", views.departments, name="departments"),
    path("display/elder-mode/", views.elder_mode, name="elder_mode"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
]
