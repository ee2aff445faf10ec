"""The city office's catalog import (xlsx, preview first; drafts only)."""

urlpatterns: list = []
