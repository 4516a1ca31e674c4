"""rabbitmq: a tiny message broker standing in for RabbitMQ.

Line protocol, one command per line, one reply line each:
AUTH user password -> OK, PING -> PONG, PUB queue message -> OK,
SUB queue -> the oldest message of the queue or EMPTY, STATS -> JSON counts per command.
"""

from __future__ import annotations

import json
import os
import signal
import socketserver
import sys
import threading
from collections import Counter, defaultdict, deque

QUEUES: defaultdict[str, deque[str]] = defaultdict(deque)
STATS: Counter[str] = Counter()
LOCK = threading.Lock()


def execute(verb: str, rest: str) -> str:
    with LOCK:
        STATS[verb] += 1
        if verb == "PING":
            return "PONG"
        if verb == "AUTH":
            return "OK"
        if verb == "PUB":
            queue, _, message = rest.partition(" ")
            QUEUES[queue].append(message)
            return "OK"
        if verb == "SUB":
            waiting = QUEUES[rest]
            return waiting.popleft() if waiting else "EMPTY"
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
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "5672")))
    with Server(address, Handler) as server:
        print(f"rabbitmq listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
