"""Single-sign-on plugin point: ``base.py`` + registry; providers go in ``contrib/<provider>/``."""
