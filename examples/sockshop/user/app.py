"""user: customer accounts, kept in their own document database."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

USER_DB = urlsplit(os.environ["USER_DB_URI"])
TIMEOUT = 2.0


def db(command: str) -> str:
    address = (USER_DB.hostname, USER_DB.port or 27017)
    with socket.create_connection(address, timeout=TIMEOUT) as conn:
        conn.sendall(command.encode("utf-8") + b"\n")
        with conn.makefile("r", encoding="utf-8", newline="\n") as stream:
            return stream.readline().rstrip("\n")


def customer(customer_id: str) -> dict[str, Any]:
    stored = db(f"GET customer:{customer_id}")
    if stored != "NIL":
        return dict(json.loads(stored))
    # First visit: register a demo account so the shop has someone to sell to.
    record = {"id": customer_id, "name": f"Customer {customer_id}", "address": "1 Sock Lane"}
    db(f"SET customer:{customer_id} {json.dumps(record)}")
    return record


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
        elif self.path.startswith("/customers/"):
            try:
                record = customer(self.path.split("/")[2])
            except OSError as error:
                self.send(502, {"service": "user", "error": str(error)})
                return
            self.send(200, {"service": "user", "reached": ["user-db"], "customer": record})
        else:
            self.send(404, {"error": "not found"})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"user listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
