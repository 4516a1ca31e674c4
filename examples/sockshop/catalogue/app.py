"""catalogue: lists the socks for sale, read from its SQL-like database."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

DSN = urlsplit(os.environ["CATALOGUE_DB_DSN"])
TIMEOUT = 2.0


def query(*commands: str) -> list[str]:
    """Open a session on the database, log in, run the commands, return their replies."""
    address = (DSN.hostname or "localhost", DSN.port or 3306)
    with socket.create_connection(address, timeout=TIMEOUT) as conn:
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        replies = []
        for command in (f"AUTH {DSN.username} {DSN.password}", *commands):
            stream.write(command + "\n")
            stream.flush()
            replies.append(stream.readline().rstrip("\n"))
        if replies[0] != "OK":
            raise PermissionError(replies[0])
        return replies[1:]


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
            return
        if self.path != "/catalogue" and not self.path.startswith("/catalogue/"):
            self.send(404, {"error": "not found"})
            return
        try:
            (table,) = query("GET socks")
        except OSError as error:
            self.send(502, {"service": "catalogue", "error": str(error)})
            return
        socks = json.loads(table)
        wanted = self.path.removeprefix("/catalogue").strip("/")
        if wanted:
            socks = [sock for sock in socks if sock["id"] == wanted]
        self.send(200, {"service": "catalogue", "reached": ["catalogue-db"], "items": socks})


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"catalogue listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
