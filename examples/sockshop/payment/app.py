"""payment: authorises card payments; it calls nobody."""

from __future__ import annotations

import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Payments above this amount are declined.
DECLINE_OVER = float(os.environ.get("DECLINE_OVER_AMOUNT", "100"))


class Handler(BaseHTTPRequestHandler):
    def send(self, status: int, payload: Any) -> None:
        if isinstance(payload, str):
            body, kind = payload.encode("utf-8"), "text/plain"
        else:
            body, kind = json.dumps(payload).encode("utf-8"), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/health":
            self.send(200, "ok")
        else:
            self.send(404, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path != "/paymentAuth":
            self.send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        amount = float(json.loads(self.rfile.read(length) or b"{}").get("amount", 0))
        authorised = 0 <= amount <= DECLINE_OVER
        message = "Payment authorised" if authorised else "Payment declined: amount exceeds limit"
        result = {"authorised": authorised, "amount": amount, "message": message}
        self.send(200, {"service": "payment", "reached": [], **result})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"payment listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
