"""``manage.py init_pki``: the development / demo PKI (idempotent)."""

from django.core.management.base import BaseCommand

from govhall.licenses.from_applications import issue_pending
from govhall.licenses.pki import init_pki


class Command(BaseCommand):
    help = "Create the city root and one EC P-256 issuing certificate per department (development and demo)."

    def handle(self, *args, **options):
        root, created = init_pki()
        self.stdout.write(f"Root {root.serial_number}; {created} department certificate(s) created.")
        # Licenses approved before their department had a certificate go out now (e.g. the demo).
        issued = issue_pending()
        if issued:
            self.stdout.write(f"{issued} pending license(s) issued.")
