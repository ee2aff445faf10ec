"""Re-encrypt personal data under the primary key of FIELD_ENCRYPTION_KEYS (key rotation).

Put the new key first in FIELD_ENCRYPTION_KEYS and keep the old one after it, run this command,
then remove the old key. Rows are rewritten in batches, each batch one transaction.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from govhall.core.crypto import EncryptedTextField, key_id_of, primary_key_id


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the primary field encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch: int, **options):
        primary = primary_key_id()
        total = 0
        for model, field in encrypted_fields():
            stale = self._stale_ids(model._meta.db_table, field.column, primary)
            for start in range(0, len(stale), batch):
                with transaction.atomic():
                    for obj in model._base_manager.select_for_update().filter(pk__in=stale[start : start + batch]):
                        model._base_manager.filter(pk=obj.pk).update(**{field.attname: getattr(obj, field.attname)})
                        total += 1
            self.stdout.write(f"{model._meta.label}.{field.name}: {len(stale)} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} value(s) now under key {primary}."))

    @staticmethod
    def _stale_ids(table: str, column: str, primary: str) -> list:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608
            return [pk for pk, token in cursor.fetchall() if key_id_of(token) != primary]
