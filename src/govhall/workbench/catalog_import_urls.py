"""The city office's catalog import (xlsx, preview first; drafts only)."""

from django.urls import path

from govhall.workbench.views import catalog_import

urlpatterns: list = [
    path("", catalog_import.upload, name="catalog_import"),
    path("template.xlsx", catalog_import.template, name="catalog_import_template"),
    path("result/", catalog_import.result, name="catalog_import_result"),
    path("<str:token>/", catalog_import.preview, name="catalog_import_preview"),
    path("<str:token>/confirm/", catalog_import.confirm, name="catalog_import_confirm"),
]
