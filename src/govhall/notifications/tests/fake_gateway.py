"""A fake SMS provider speaking the generic HTTP protocol, run as a SEPARATE PROCESS by the tests.

    python -m govhall.notifications.tests.fake_gateway --secret S   →   prints "READY <sms> <control>"

Standard library only, and its own signing code (not the app's), so it checks the protocol rather
than agreeing with itself. Two listeners on 127.0.0.1:

* the SMS port — ``POST /sms``: verifies the signature, deduplicates by ``Idempotency-Key`` (a
  repeated key gets the first answer and is not delivered again), and counts every request;
* the control port — ``GET /stats``, ``POST /reset``, ``POST /control`` with any of
  ``{"fail": n, "fail_status": 500, "drop": n, "delay": seconds, "down": seconds}``
  (fail: answer an error before accepting; drop: accept, then close without answering; delay: accept,
  then wait before answering — a timeout for a client with a shorter timeout; down: close the SMS
  listener so connections are refused), and ``POST /receipts`` ``{"callback": url, "keys": [...],
  "status": "delivered", "occurred_at": iso}`` to send signed delivery receipts to the app.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects (a 1 s SYN retry each)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The protocol's signature, written independently of the app: v1=HMAC-SHA256(ts + "." + body)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {
        "Content-Type": "application/json",
        "X-Sms-Timestamp": timestamp,
        "X-Sms-Signature": sign(secret, timestamp, body),
    }


def receipt_body(receipts: list[dict[str, Any]]) -> bytes:
    return json.dumps({"receipts": receipts}, ensure_ascii=False).encode()


def make_receipt(key: str, provider_id: str, status: str, occurred_at: str | None = None) -> dict[str, Any]:
    return {
        "receipt_id": uuid.uuid4().hex,
        "reference": key,
        "message_id": provider_id,
        "status": status,
        "occurred_at": occurred_at or datetime.datetime.now(datetime.UTC).isoformat(),
    }


class State:
    """Everything the gateway saw, behind one lock (handlers run in threads)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.total_requests = 0
        self.bad_signatures = 0
        self.requests_per_key: dict[str, int] = {}
        self.accepted: dict[str, dict[str, Any]] = {}
        self.fail = 0
        self.fail_status = 500
        self.drop = 0
        self.delay = 0.0

    def stats(self) -> dict[str, Any]:
        return {
            "total_requests": self.total_requests,
            "distinct": len(self.accepted),
            "bad_signatures": self.bad_signatures,
            "requests_per_key": self.requests_per_key,
            "accepted": self.accepted,
        }


class SmsHandler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        state = self.state
        timestamp = self.headers.get("X-Sms-Timestamp", "")
        if not hmac.compare_digest(sign(state.secret, timestamp, body), self.headers.get("X-Sms-Signature", "")):
            with state.lock:
                state.bad_signatures += 1
            return self._answer(401, {"error": "bad signature"})
        key = self.headers.get("Idempotency-Key", "")
        if not key:
            return self._answer(400, {"error": "Idempotency-Key missing"})
        payload = json.loads(body)
        with state.lock:
            state.total_requests += 1
            state.requests_per_key[key] = state.requests_per_key.get(key, 0) + 1
            if state.fail > 0:
                state.fail -= 1
                status = state.fail_status
            else:
                status = 200
                if key not in state.accepted:
                    state.accepted[key] = {
                        "message_id": f"fake-{len(state.accepted) + 1}",
                        "mobile": payload["mobile"],
                        "template_id": payload["template_id"],
                        "params": payload["params"],
                        "text": payload["text"],
                        "sign_name": payload.get("sign_name", ""),
                        "received_at": time.time(),
                    }
                drop = state.drop > 0
                state.drop -= 1 if drop else 0
                delay = state.delay
                answer = {"message_id": state.accepted[key]["message_id"], "status": "accepted"}
        if status != 200:
            return self._answer(status, {"error": "provider unavailable"})
        if delay:
            time.sleep(delay)
        if drop:
            self.close_connection = True  # accepted, but the answer is lost
            return None
        return self._answer(200, answer)


class ControlHandler(BaseHTTPRequestHandler):
    state: State
    sms: SmsListener

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path != "/stats":
            return self._answer(404, {})
        with self.state.lock:
            return self._answer(200, self.state.stats())

    def do_POST(self) -> None:
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/reset":
            with self.state.lock:
                self.state.reset()
            self.sms.up()
            return self._answer(200, {"ok": True})
        if self.path == "/control":
            return self._control(data)
        if self.path == "/receipts":
            return self._answer(200, self._send_receipts(data))
        return self._answer(404, {})

    def _control(self, data: dict[str, Any]) -> None:
        with self.state.lock:
            for name in ("fail", "fail_status", "drop"):
                if name in data:
                    setattr(self.state, name, int(data[name]))
            if "delay" in data:
                self.state.delay = float(data["delay"])
        if data.get("down"):
            self.sms.down_for(float(data["down"]))
        return self._answer(200, {"ok": True})

    def _send_receipts(self, data: dict[str, Any]) -> dict[str, Any]:
        with self.state.lock:
            receipts = [
                make_receipt(key, self.state.accepted[key]["message_id"], data["status"], data.get("occurred_at"))
                for key in data["keys"]
            ]
        body = receipt_body(receipts)
        request = urllib.request.Request(
            data["callback"], data=body, headers=signed_headers(self.state.secret, body), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return {"status": response.status, "body": json.loads(response.read())}
        except urllib.error.HTTPError as error:
            return {"status": error.code, "body": error.read().decode()}


class SmsListener:
    """The SMS port; ``down_for`` closes it (connections refused) and reopens it on the same port."""

    def __init__(self, state: State) -> None:
        handler = type("BoundSmsHandler", (SmsHandler,), {"state": state})
        self.handler = handler
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.port = 0
        self.up()

    def up(self) -> None:
        with self.lock:
            if self.server is not None:
                return
            self.server = Server((HOST, self.port), self.handler)
            self.port = self.server.server_address[1]
            threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        with self.lock:
            if self.server is None:
                return
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def down_for(self, seconds: float) -> None:
        self.down()
        timer = threading.Timer(seconds, self.up)
        timer.daemon = True
        timer.start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    state = State(args.secret)
    sms = SmsListener(state)
    control_handler = type("BoundControlHandler", (ControlHandler,), {"state": state, "sms": sms})
    control = Server((HOST, 0), control_handler)
    print(f"READY {sms.port} {control.server_address[1]}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        control.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
