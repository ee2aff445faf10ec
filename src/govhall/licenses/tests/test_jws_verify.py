"""The JWS verification path (parsed keys cached; RFC 7515/7518 checks by hand): anything but a
well-formed ES256 token by the certificate's key is refused."""

import base64
import json

import pytest

from govhall.licenses import jws, pki


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _with_header(token: str, **changes) -> str:
    head, body, signature = token.split(".")
    header = {**json.loads(base64.urlsafe_b64decode(head + "==")), **changes}
    return ".".join([_b64(json.dumps(header).encode()), body, signature])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: _with_header(t, alg="none"),
        lambda t: _with_header(t, alg="HS256"),
        lambda t: _with_header(t, crit=["exp"]),
        lambda t: t.rsplit(".", 1)[0] + "." + _b64(b"\x00" * 63),
        lambda t: t.rsplit(".", 1)[0] + "." + t.rsplit(".", 1)[1][:-2] + "*A",
        lambda t: t + ".extra",
        lambda t: t.split(".")[0] + "." + _b64(b'{"identifier":"forged"}') + "." + t.split(".")[2],
    ],
    ids=["alg-none", "alg-hs256", "crit", "short-signature", "not-base64url", "four-parts", "other-payload"],
)
def test_a_tampered_token_is_refused(issued, tamper):
    certificate = pki.active_certificate(issued.issuing_department)
    assert jws.verify(issued.jws, certificate)["identifier"] == issued.identifier
    with pytest.raises(jws.JwsError):
        jws.verify(tamper(issued.jws), certificate)


def test_another_departments_certificate_does_not_verify(issued, other_department):
    with pytest.raises(jws.JwsError):
        jws.verify(issued.jws, pki.active_certificate(other_department))
