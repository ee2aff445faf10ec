"""The checkpoint key: an Ed25519 key kept outside the database.

Why: a hash chain alone can be recomputed by whoever can write the table. A checkpoint signed with a
key the database never holds fixes the chain's head at a moment in time, so a consistently
recomputed chain, a truncated chain or a forged checkpoint is detected (regulation Art. 20 (四),
Art. 23 "safe keeping of keys"; Electronic Signature Law Art. 13: the signing data is controlled by
the signer alone and any later change is detectable).

In development the key file is generated on first use; in production a missing key is a
configuration error (``ImproperlyConfigured``), never a silent new key.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def key_path() -> Path:
    """Where the private key lives (``settings.AUDIT_CHECKPOINT_KEY_FILE``)."""
    return Path(settings.AUDIT_CHECKPOINT_KEY_FILE)


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _write_new_key(path: Path) -> None:
    """Create the key file atomically with mode 0600; if another process won the race, keep theirs."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)  # fails if the file appeared meanwhile: never overwrite a key
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def _load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} must hold an Ed25519 private key (审计检查点密钥须为 Ed25519)")
    return key


def ensure_checkpoint_key() -> Ed25519PrivateKey:
    """The signing key; generated on first use in development, required in production."""
    path = key_path()
    if not path.exists():
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(
                f"AUDIT_CHECKPOINT_KEY_FILE {path} does not exist (审计检查点签名密钥缺失); "
                "production never generates a new key"
            )
        _write_new_key(path)
    return _load_private_key(path)


def _load_public_key(path: Path) -> Ed25519PublicKey:
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        return _load_private_key(path).public_key()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ImproperlyConfigured(f"{path} must hold an Ed25519 public key")
    return key


def verification_keys(extra: list[Path] | None = None) -> dict[str, Ed25519PublicKey]:
    """Public keys by key id: the given files, else the key file plus retired keys.

    An auditor passes public-key files only (they never need the private key); an operator who
    rotated the key lists the old public keys in ``AUDIT_CHECKPOINT_PUBLIC_KEY_FILES`` so earlier
    checkpoints still verify.
    """
    if extra:
        paths = list(extra)
    else:
        paths = [key_path(), *map(Path, getattr(settings, "AUDIT_CHECKPOINT_PUBLIC_KEY_FILES", []))]
    keys = {}
    for path in paths:
        if path.exists():
            public = _load_public_key(path)
            keys[key_id(public)] = public
    return keys


def sign(message: bytes) -> tuple[str, str]:
    """Sign with the checkpoint key; returns ``(key_id, base64 signature)``."""
    private = ensure_checkpoint_key()
    signature = private.sign(message)
    return key_id(private.public_key()), base64.b64encode(signature).decode("ascii")


def signature_valid(public_key: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    """True when ``signature_b64`` is ``public_key``'s signature over ``message``."""
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
