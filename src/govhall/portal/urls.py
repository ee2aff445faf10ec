from django.urls import path

from govhall.portal.views import accounts, catalog, directory, search

app_name = "portal"

urlpatterns = [
    path("", directory.home, name="home"),
    path("personal/", directory.entrance, {"audience": "personal"}, name="personal"),
    path("enterprise/", directory.entrance, {"audience": "enterprise"}, name="enterprise"),
    path("sub-halls/", directory.sub_halls, name="sub_halls"),
    path("sub-halls/<str:code>/", directory.sub_hall, name="sub_hall"),
    path("centres/", directory.centres, name="centres"),
    path("centres/<slug:code>/", directory.centre, name="centre"),
    path("departments/", directory.departments, name="departments"),
    path("display/elder-mode/", directory.elder_mode, name="elder_mode"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("accounts/register/", accounts.register, {"kind": "person"}, name="register"),
    path("accounts/register/enterprise/", accounts.register, {"kind": "enterprise"}, name="register_enterprise"),
    path("accounts/reset/", accounts.reset_password, name="reset_password"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/operators/", accounts.add_operator, name="add_operator"),
    path("accounts/operators/<int:authorisation_id>/revoke/", accounts.revoke_operator, name="revoke_operator"),
    path("accounts/cancel/", accounts.cancel_account, name="cancel_account"),
    path("items/<str:code>/", catalog.item, name="item"),
    path("items/<str:code>/guide.pdf", catalog.guide_pdf, name="item_pdf"),
    path(
        "items/<str:code>/materials/<int:order>/<str:kind>/",
        catalog.material_file,
        name="material_file",
    ),
    path("catalog/export.json", catalog.catalog_export, name="catalog_export"),
    path("search/", search.search, name="search"),
]
