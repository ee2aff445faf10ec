#!/usr/bin/env python
"""E-licenses (issue 9) in process, on one core: licenses issued per second (render + sign + ledger),
PDF verifications per second, JWS verifications per second (the signature alone, and the full
public ``verify_jws`` with its certificate and ledger look-ups).

Runs against a throw-away database (SQLite in memory by default; ``DATABASE_URL`` for PostgreSQL —
the test database is created and dropped). Prints a Markdown table.

    .venv/bin/python bench/licenses.py [--issue 20] [--pdf 50] [--jws 20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issue", type=int, default=20, help="licenses to issue")
    parser.add_argument("--pdf", type=int, default=50, help="PDF verifications")
    parser.add_argument("--jws", type=int, default=20000, help="JWS verifications")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="govhall-bench-licenses-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.LICENSES_FILE_ROOT = workdir / "files"
    settings.LICENSES_PKI_DIR = workdir / "pki"
    settings.LICENSES_TSA_URL = ""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = _measure(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"\n### E-licenses in process (one core, {connection.vendor})\n")
    print("| operation | count | seconds | per second |")
    print("|---|---:|---:|---:|")
    for name, count, seconds in rows:
        print(f"| {name} | {count} | {seconds:.2f} | {_rate(count, seconds)} |")


def _measure(args: argparse.Namespace) -> list[tuple[str, int, float]]:
    import datetime

    from django.utils import timezone

    from govhall.accounts.models import EnterpriseProfile, User
    from govhall.catalog.models import LicenseType
    from govhall.core.validators import uscc_from_parts
    from govhall.directory.models import Department
    from govhall.directory.tests.factories import DepartmentFactory
    from govhall.licenses import jws, pki, verification
    from govhall.licenses.services import issue_license, pdf_bytes

    department = DepartmentFactory(name="长春市市场监督管理局")
    license_type = LicenseType.objects.create(
        type_code=uscc_from_parts("11100000", "MA0000PX") + "001",
        name="食品经营许可证",
        defining_department=department,
        fields=[{"name": "business_scope", "label": "经营项目"}],
    )
    holder = User.objects.create(username="bench-holder", kind="enterprise", name="长春市䶮𠮷餐饮有限公司")
    EnterpriseProfile.objects.create(
        user=holder,
        uscc=uscc_from_parts("91220100", "MA0000HD"),
        legal_representative="李䶮",
        representative_document_type="resident_id",
        representative_document_number="220102199001011234",
        representative_document_hash="x" * 64,
    )
    pki.init_pki(Department.objects.filter(pk=department.pk))
    until = timezone.localdate() + datetime.timedelta(days=365)

    issue_license(license_type, holder, {"business_scope": "热食类食品制售"}, department, valid_until=until)  # warm-up
    started = time.perf_counter()
    issued = [
        issue_license(license_type, holder, {"business_scope": f"热食类食品制售{n}"}, department, valid_until=until)
        for n in range(args.issue)
    ]
    issue_seconds = time.perf_counter() - started

    data = pdf_bytes(issued[0])
    assert verification.verify_pdf(data).valid
    started = time.perf_counter()
    for _ in range(args.pdf):
        verification.verify_pdf(data)
    pdf_seconds = time.perf_counter() - started

    token, certificate = issued[0].jws, pki.active_certificate(department)
    jws.verify(token, certificate)
    started = time.perf_counter()
    for _ in range(args.jws):
        jws.verify(token, certificate)
    jws_seconds = time.perf_counter() - started

    baseline = _raw_ecdsa(args.jws)

    assert verification.verify_jws(token).valid
    full = max(args.jws // 10, 100)
    started = time.perf_counter()
    for _ in range(full):
        verification.verify_jws(token)
    full_seconds = time.perf_counter() - started

    return [
        ("issue (render + PAdES + JWS + ledger)", args.issue, issue_seconds),
        ("verify PDF (pyHanko + chain + CRL + ledger + status)", args.pdf, pdf_seconds),
        ("baseline: bare ECDSA P-256 verify (cryptography)", args.jws, baseline),
        ("verify JWS signature (jws.verify)", args.jws, jws_seconds),
        ("verify JWS, public check (verify_jws: certificate, chain, ledger, status)", full, full_seconds),
    ]


def _raw_ecdsa(count: int) -> float:
    """The floor: one ECDSA P-256 verification with ``cryptography`` over a message of a license's
    size, timed in the same run (on a loaded machine both numbers move together)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    message = b"x" * 1500
    signature = key.sign(message, ec.ECDSA(hashes.SHA256()))
    public = key.public_key()
    started = time.perf_counter()
    for _ in range(count):
        public.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
