"""The guide editor and the publication review (Art. 7): items, drafts, diffs, history."""

from django.urls import path

from govhall.workbench.views import catalog_editor, catalog_items, catalog_review

urlpatterns: list = [
    path("", catalog_items.items, name="catalog_items"),
    path("items/new/", catalog_items.create_item, name="catalog_create_item"),
    path("items/<int:pk>/", catalog_items.item, name="catalog_item"),
    path("items/<int:pk>/edit/", catalog_items.edit_item, name="catalog_edit_item"),
    path("items/<int:pk>/draft/", catalog_items.start_draft, name="catalog_start_draft"),
    path("versions/<int:pk>/", catalog_review.version, name="catalog_version"),
    path("materials/<int:pk>/<slug:kind>/", catalog_review.material_file, name="catalog_material_file"),
    path("versions/<int:pk>/diff/", catalog_review.version_diff, name="catalog_diff"),
    path("versions/<int:pk>/edit/", catalog_editor.edit, name="catalog_edit"),
    path("versions/<int:pk>/preview/", catalog_editor.preview, name="catalog_preview"),
    path("versions/<int:pk>/submit/", catalog_editor.submit, name="catalog_submit"),
    path("versions/<int:pk>/review/", catalog_review.review, name="catalog_review"),
    path("versions/<int:pk>/publish/", catalog_review.publish, name="catalog_publish"),
    path("versions/<int:pk>/return/", catalog_review.return_draft, name="catalog_return"),
]
