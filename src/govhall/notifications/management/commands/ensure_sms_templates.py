"""Seed the built-in SMS templates (idempotent)."""

from django.core.management.base import BaseCommand

from govhall.notifications.services import ensure_templates


class Command(BaseCommand):
    help = "Create version 1 of every built-in SMS template that does not exist yet."

    def handle(self, *args, **options):
        self.stdout.write(f"{ensure_templates()} SMS template(s) created.")
