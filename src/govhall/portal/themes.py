"""The entrances' topic lists, owned by the catalog (items carry the codes); re-exported for the portal."""

from govhall.catalog.themes import ENTERPRISE_THEMES, PERSONAL_THEMES

__all__ = ["ENTERPRISE_THEMES", "PERSONAL_THEMES"]
