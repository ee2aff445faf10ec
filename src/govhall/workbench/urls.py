from django.urls import path

from govhall.workbench import auth_views, views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.login, name="login"),
    path("login/verify/", auth_views.verify, name="verify"),
    path("login/enrol/", auth_views.enrol, name="enrol"),
    path("logout/", auth_views.logout, name="logout"),
]
