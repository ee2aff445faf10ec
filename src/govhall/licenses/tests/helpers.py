"""Independent checks for the licenses tests: poppler ``pdfsig`` with an NSS database, tampering."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path


def pdfsig(pdf: bytes, root_pem: str, workdir: Path) -> dict[str, str]:
    """Run ``pdfsig`` with an NSS database trusting only ``root_pem``; parse its text (its exit
    code is 0 even when the digest does not match)."""
    nss = workdir / "nss"
    if not nss.exists():
        nss.mkdir(parents=True)
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
        (workdir / "root.crt").write_text(root_pem)
        subprocess.run(
            ["certutil", "-A", "-n", "root", "-t", "C,C,", "-i", str(workdir / "root.crt"), "-d", f"sql:{nss}"],
            check=True,
        )
    target = workdir / "license.pdf"
    target.write_bytes(pdf)
    output = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(target)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    parsed = {}
    for line in output.splitlines():
        key, _, value = line.strip().lstrip("- ").partition(":")
        if value:
            parsed[key.strip()] = value.strip()
    parsed["_raw"] = output
    return parsed


def flip_byte_in_stream(pdf: bytes) -> bytes:
    """Flip one byte inside the first content stream (inside the signed ranges)."""
    start = pdf.index(b"stream", pdf.index(b"/Length")) + 60
    return pdf[:start] + bytes([pdf[start] ^ 0x01]) + pdf[start + 1 :]


def resaved(pdf: bytes) -> bytes:
    """Open and save again as a new file, as an editor would (no incremental update)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(BytesIO(pdf), strict=False))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def with_incremental_update(pdf: bytes) -> bytes:
    """Append an incremental update after the signature (changes the document's title)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
