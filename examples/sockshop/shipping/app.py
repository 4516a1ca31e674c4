"""shipping: accepts shipments and publishes them on the broker for queue-master."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

AMQP_URL = os.environ["AMQP_URL"]
QUEUE = "shipping-task"
TIMEOUT = 2.0


def publish(message: dict[str, Any]) -> None:
    broker = urlsplit(AMQP_URL)
    with socket.create_connection((broker.hostname, broker.port or 5672), timeout=TIMEOUT) as conn:
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        for command in (
            f"AUTH {broker.username} {broker.password}",
            f"PUB {QUEUE} {json.dumps(message)}",
        ):
            stream.write(command + "\n")
            stream.flush()
            reply = stream.readline().rstrip("\n")
            if reply != "OK":
                raise ConnectionError(f"broker refused: {reply}")


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
        if self.path != "/shipping":
            self.send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        shipment = {**json.loads(self.rfile.read(length) or b"{}"), "id": uuid.uuid4().hex}
        try:
            publish(shipment)
        except OSError as error:
            self.send(502, {"service": "shipping", "error": str(error)})
            return
        self.send(201, {"service": "shipping", "reached": ["rabbitmq"], "shipment": shipment})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"shipping listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
