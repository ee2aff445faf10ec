"""SMS gateway providers; each registers itself in ``notifications.base.registry``."""
