"""catalogue-db: a tiny table store standing in for MySQL, preloaded with the socks.

Line protocol, one command per line, one reply line each:
AUTH user password -> OK or ERR, PING -> PONG, SET key value -> OK,
GET key -> value or NIL, KEYS prefix -> keys, STATS -> JSON counts per command.
When a password is configured, every command but PING and AUTH needs AUTH first.
"""

from __future__ import annotations

import json
import os
import signal
import socketserver
import sys
import threading
from collections import Counter

SOCKS = [
    {"id": "1", "name": "Holy", "price": 99.99, "tags": ["action", "magic"]},
    {"id": "2", "name": "Crossed", "price": 17.32, "tags": ["blue", "formal"]},
    {"id": "3", "name": "Figueroa", "price": 14.0, "tags": ["green", "sport"]},
]
DATA: dict[str, str] = {"socks": json.dumps(SOCKS)}
STATS: Counter[str] = Counter()
LOCK = threading.Lock()
# Accounts: the application user and the administrator.
ACCOUNTS = {
    "catalogue": os.environ.get("MYSQL_PASSWORD", ""),
    "root": os.environ.get("MYSQL_ROOT_PASSWORD", ""),
}
AUTH_REQUIRED = any(ACCOUNTS.values())


class Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        authenticated = not AUTH_REQUIRED
        for raw in self.rfile:
            verb, _, rest = raw.decode("utf-8").strip().partition(" ")
            verb = verb.upper()
            if verb == "AUTH":
                user, _, password = rest.partition(" ")
                authenticated = bool(password) and ACCOUNTS.get(user) == password
                reply = "OK" if authenticated else "ERR access denied"
            elif authenticated or verb == "PING":
                reply = execute(verb, rest)
            else:
                reply = "ERR authentication required"
            self.wfile.write((reply + "\n").encode("utf-8"))


def execute(verb: str, rest: str) -> str:
    with LOCK:
        STATS[verb] += 1
        if verb == "PING":
            return "PONG"
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


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "3306")))
    with Server(address, Handler) as server:
        print(f"catalogue-db listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
