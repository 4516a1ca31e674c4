"""front-end: the shop's single entry point; it fans out to the back-end services."""

from __future__ import annotations

import json
import os
import signal
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urljoin

CATALOGUE_URL = os.environ.get("CATALOGUE_URL", "http://catalogue")
CARTS_URL = os.environ["CARTS_URL"]
ORDERS_URL = os.getenv("ORDERS_URL", "http://orders")
USER_URL = os.environ["USER_URL"]
TIMEOUT = 2.0


def call(url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        result: dict[str, Any] = json.load(response)
        return result


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
        elif self.path == "/":
            try:
                parts = {
                    "catalogue": call(f"{CATALOGUE_URL}/catalogue"),
                    "cart": call(CARTS_URL + "/carts/1"),
                    "orders": call(urljoin(ORDERS_URL, "/orders")),
                    "customer": call(f"{USER_URL}/customers/1"),
                }
            except (OSError, ValueError) as error:
                self.send(502, {"service": "front-end", "error": str(error)})
                return
            reached = [part["service"] for part in parts.values()]
            self.send(200, {"service": "front-end", "reached": reached, **parts})
        else:
            self.send(404, {"error": "not found"})

    def do_POST(self) -> None:
        # POST /cart adds an item to customer 1's cart; POST /checkout places an order.
        targets = {
            "/cart": CARTS_URL + "/carts/1/items",
            "/checkout": urljoin(ORDERS_URL, "/orders"),
        }
        if self.path not in targets:
            self.send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        try:
            result = call(targets[self.path], body)
        except (OSError, ValueError) as error:
            self.send(502, {"service": "front-end", "error": str(error)})
            return
        self.send(201, {"service": "front-end", "reached": [result["service"]], "result": result})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"front-end listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
