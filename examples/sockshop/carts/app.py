"""carts: keeps each customer's shopping cart in its document database."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

CARTS_DB_URI = os.getenv("CARTS_DB_URI", "mongodb://carts-db:27017/data")
TIMEOUT = 2.0


def db(*commands: str) -> list[str]:
    where = urlsplit(CARTS_DB_URI)
    with socket.create_connection((where.hostname, where.port or 27017), timeout=TIMEOUT) as conn:
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        replies = []
        for command in commands:
            stream.write(command + "\n")
            stream.flush()
            replies.append(stream.readline().rstrip("\n"))
        return replies


def load_cart(customer: str) -> list[dict[str, Any]]:
    (stored,) = db(f"GET cart:{customer}")
    return [] if stored == "NIL" else list(json.loads(stored))


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
        elif self.path.startswith("/carts/"):
            customer = self.path.split("/")[2]
            try:
                items = load_cart(customer)
            except OSError as error:
                self.send(502, {"service": "carts", "error": str(error)})
                return
            self.send(200, {"service": "carts", "reached": ["carts-db"], "items": items})
        else:
            self.send(404, {"error": "not found"})

    def do_POST(self) -> None:
        parts = self.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "carts" or parts[2] != "items":
            self.send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        item = json.loads(self.rfile.read(length) or b"{}")
        try:
            items = [*load_cart(parts[1]), item]
            db(f"SET cart:{parts[1]} {json.dumps(items)}")
        except OSError as error:
            self.send(502, {"service": "carts", "error": str(error)})
            return
        self.send(201, {"service": "carts", "reached": ["carts-db"], "items": items})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"carts listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
