"""orders-db: a tiny document store standing in for MongoDB.

Line protocol, one command per line, one reply line each:
PING -> PONG, SET key value -> OK, GET key -> value or NIL,
KEYS prefix -> matching keys separated by spaces, STATS -> JSON counts per command.
"""

from __future__ import annotations

import json
import os
import signal
import socketserver
import sys
import threading
from collections import Counter

NAME = "orders-db"
DATA: dict[str, str] = {}
STATS: Counter[str] = Counter()
LOCK = threading.Lock()


def execute(verb: str, rest: str) -> str:
    with LOCK:
        STATS[verb] += 1
        if verb == "PING":
            return "PONG"
        if verb == "AUTH":
            return "OK"
        if verb == "SET":
            key, _, value = rest.partition(" ")
            DATA[key] = value
            return "OK"
        if verb == "GET":
            return DATA.get(rest, "NIL")
        if verb == "KEYS":
            return " ".join(sorted(key for key in DATA if key.startswith(rest)))
        if verb == "STATS":
            return json.dumps(STATS)
        return f"ERR unknown command {verb}"


class Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        for raw in self.rfile:
            verb, _, rest = raw.decode("utf-8").strip().partition(" ")
            self.wfile.write((execute(verb.upper(), rest) + "\n").encode("utf-8"))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "27017")))
    with Server(address, Handler) as server:
        print(f"{NAME} listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
