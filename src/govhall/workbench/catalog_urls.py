"""The guide editor and the publication review (Art. 7): items, drafts, diffs, history."""

urlpatterns: list = []
