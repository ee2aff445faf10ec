"""Workbench views, one module per domain. Every page needs a staff login with the second factor."""
