"""The lab's agent: run inside one network namespace (``ip netns exec NS python -I -S ...``).

Standard library only, and no ``socklock`` import, so it starts in a few milliseconds.

``listen``: reads ``{"token": str, "sockets": [[address, port, protocol], ...]}`` on stdin,
binds every socket (each to its own address, so a UDP reply leaves from the address that was
asked), prints ``ready`` and serves until killed: a TCP connection gets the token and is
closed; a UDP datagram is answered with the token.

``probe``: reads ``{"timeout": s, "attempts": [[id, address, port, protocol, source], ...]}``
(``source`` an address to bind, or null) and prints one JSON object ``{id: outcome}``:
``ok:<token>`` when the server answered, ``refused``, ``timeout``, or ``error:<errno name>``.
"""

from __future__ import annotations

import errno
import json
import selectors
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

WORKERS = 64


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def listen(spec: dict[str, Any]) -> None:
    token = str(spec["token"]).encode()
    chosen = selectors.DefaultSelector()
    for address, port, protocol in spec["sockets"]:
        kind = socket.SOCK_STREAM if protocol == "TCP" else socket.SOCK_DGRAM
        sock = socket.socket(_family(address), kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, int(port)))
        if kind == socket.SOCK_STREAM:
            sock.listen(128)
        sock.setblocking(False)
        chosen.register(sock, selectors.EVENT_READ, protocol)
    print("ready", flush=True)
    sys.stdout.close()
    while True:
        for key, _ in chosen.select():
            server = key.fileobj
            assert isinstance(server, socket.socket)
            try:
                if key.data == "TCP":
                    conn, _peer = server.accept()
                    with conn:
                        conn.settimeout(1.0)
                        conn.sendall(token + b"\n")
                else:
                    _data, peer = server.recvfrom(2048)
                    server.sendto(token, peer)
            except OSError:
                continue


def _outcome(exc: OSError) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    return f"error:{errno.errorcode.get(exc.errno or 0, str(exc))}"


def _attempt(address: str, port: int, protocol: str, source: str | None, timeout: float) -> str:
    family = _family(address)
    kind = socket.SOCK_STREAM if protocol == "TCP" else socket.SOCK_DGRAM
    deadline = time.monotonic() + timeout
    with socket.socket(family, kind) as sock:
        try:
            if source is not None:
                sock.bind((source, 0))
            sock.settimeout(timeout)
            sock.connect((address, port))
            if kind == socket.SOCK_STREAM:
                data = sock.recv(256)
                return f"ok:{data.decode(errors='replace').strip()}" if data else "closed"
            # UDP: resend while waiting, so one lost datagram is not a denial.
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "timeout"
                sock.send(b"socklock-probe")
                sock.settimeout(min(left, timeout / 3))
                try:
                    data = sock.recv(256)
                except TimeoutError:
                    continue
                return f"ok:{data.decode(errors='replace').strip()}"
        except OSError as exc:
            return _outcome(exc)


def probe(spec: dict[str, Any]) -> None:
    timeout = float(spec["timeout"])
    attempts = spec["attempts"]
    with ThreadPoolExecutor(max_workers=min(WORKERS, max(1, len(attempts)))) as pool:
        futures = {
            str(ident): pool.submit(_attempt, address, int(port), protocol, source, timeout)
            for ident, address, port, protocol, source in attempts
        }
        results = {ident: future.result() for ident, future in futures.items()}
    json.dump(results, sys.stdout)
    sys.stdout.flush()


def main() -> int:
    spec = json.load(sys.stdin)
    if sys.argv[1:] == ["listen"]:
        listen(spec)
    elif sys.argv[1:] == ["probe"]:
        probe(spec)
    else:
        print("usage: _agent.py listen|probe < spec.json", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
