"""queue-master: consumes shipping tasks from the broker in a background loop."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

AMQP_URL = os.getenv("AMQP_URL", "amqp://guest:guest@rabbitmq:5672")
QUEUE = "shipping-task"
POLL_SECONDS = float(os.getenv("POLL_SECONDS", "1"))
CONSUMED: list[dict[str, Any]] = []


def consume_forever() -> None:
    broker = urlsplit(AMQP_URL)
    while True:
        try:
            address = (broker.hostname, broker.port or 5672)
            with socket.create_connection(address, timeout=2.0) as conn:
                stream = conn.makefile("rw", encoding="utf-8", newline="\n")
                stream.write(f"AUTH {broker.username} {broker.password}\n")
                stream.flush()
                stream.readline()
                while True:
                    stream.write(f"SUB {QUEUE}\n")
                    stream.flush()
                    reply = stream.readline().rstrip("\n")
                    if not reply:
                        raise ConnectionError("broker closed the connection")
                    if reply == "EMPTY":
                        time.sleep(POLL_SECONDS)
                    else:
                        CONSUMED.append(json.loads(reply))
                        print(f"shipped order {CONSUMED[-1].get('order')}", flush=True)
        except (OSError, ValueError) as error:
            print(f"consumer: {error}; retrying", flush=True)
            time.sleep(POLL_SECONDS)


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
        elif self.path == "/consumed":
            self.send(200, {"service": "queue-master", "consumed": CONSUMED})
        else:
            self.send(404, {"error": "not found"})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Thread(target=consume_forever, name="consumer", daemon=True).start()
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"queue-master listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
