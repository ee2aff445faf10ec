"""``manage.py import_certificate FILE [--department USCC] [--password-env VAR]``.

Production: import the city root (no department) or a department's issuing certificate with its
key, as PEM or PKCS#12 from a real CA. The password is read from an environment variable so it
never appears in the shell history or the process list.
"""

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from govhall.directory.models import Department
from govhall.licenses.pki import import_certificate


class Command(BaseCommand):
    help = "Import a root or department certificate (PEM or PKCS#12)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--department", help="USCC of the department (omit to import a root)")
        parser.add_argument("--password-env", help="environment variable holding the PKCS#12 / key password")

    def handle(self, *args, file, department=None, password_env=None, **options):
        target = None
        if department:
            target = Department.objects.filter(uscc=department).first()
            if target is None:
                raise CommandError(f"no department with USCC {department}")
        password = os.environ.get(password_env, "").encode() if password_env else None
        try:
            certificate = import_certificate(file.read_bytes(), department=target, password=password or None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Imported {certificate.kind} certificate {certificate.serial_number}.")
