"""System check: production must have its audit checkpoint key (regulation Art. 23: keys kept safe).

Failing at start-up is better than failing inside the first business transaction that reaches a
checkpoint.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from govhall.core.audit.signing import key_path


@register()
def checkpoint_key_present(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False) or key_path().exists():
        return []
    return [
        Error(
            f"AUDIT_CHECKPOINT_KEY_FILE {key_path()} does not exist (审计检查点签名密钥缺失).",
            hint="Install the Ed25519 key (PEM, PKCS#8) kept by the service office; never generate a new one.",
            id="audit.E001",
        )
    ]
