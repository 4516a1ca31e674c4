"""Run the whole sock shop on this machine: 13 processes on 127.0.0.1, wired to each other.

    python3 run_local.py              serve until Ctrl-C; prints the front-end address
    python3 run_local.py --smoke      start, browse, place one order, print the result, stop

Only the Python standard library is needed. Every child is stopped by its pid on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATASTORES = ("catalogue-db", "carts-db", "orders-db", "user-db", "rabbitmq")
APPLICATIONS = (
    "front-end",
    "catalogue",
    "carts",
    "orders",
    "payment",
    "shipping",
    "user",
    "queue-master",
)
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def environments(ports: dict[str, int]) -> dict[str, dict[str, str]]:
    """The environment of each service: where its peers are, and its own port."""
    http = {name: f"http://{LOOPBACK}:{ports[name]}" for name in APPLICATIONS}
    tcp = {name: f"{LOOPBACK}:{ports[name]}" for name in DATASTORES}
    amqp = f"amqp://guest:guest@{tcp['rabbitmq']}"
    wiring: dict[str, dict[str, str]] = {
        "front-end": {
            "CATALOGUE_URL": http["catalogue"],
            "CARTS_URL": http["carts"],
            "ORDERS_URL": http["orders"],
            "USER_URL": http["user"],
        },
        "orders": {
            "PAYMENT_URL": http["payment"],
            "SHIPPING_URL": http["shipping"],
            "CARTS_URL": http["carts"],
            "USER_URL": http["user"],
            "ORDERS_DB_URI": f"mongodb://{tcp['orders-db']}/data",
        },
        "carts": {"CARTS_DB_URI": f"mongodb://{tcp['carts-db']}/data"},
        "catalogue": {"CATALOGUE_DB_DSN": f"mysql://catalogue:fake@{tcp['catalogue-db']}/socksdb"},
        "catalogue-db": {"MYSQL_PASSWORD": "fake"},
        "user": {"USER_DB_URI": f"mongodb://{tcp['user-db']}/users"},
        "shipping": {"AMQP_URL": amqp},
        "queue-master": {"AMQP_URL": amqp, "POLL_SECONDS": "0.2"},
    }
    for name, port in ports.items():
        wiring.setdefault(name, {}).update(PORT=str(port), BIND=LOOPBACK)
    return wiring


def ready(name: str, port: int) -> bool:
    try:
        if name in DATASTORES:
            with socket.create_connection((LOOPBACK, port), timeout=0.5) as conn:
                conn.sendall(b"PING\n")
                return conn.recv(16).startswith(b"PONG")
        with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/health", timeout=0.5) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def start(ports: dict[str, int], children: dict[str, subprocess.Popen[bytes]], quiet: bool) -> None:
    """Start every service, recording each child in `children` as soon as it exists."""
    output = subprocess.DEVNULL if quiet else None
    for name, env in environments(ports).items():
        children[name] = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=HERE / name,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=output,
        )
    deadline = time.monotonic() + 10
    for name, port in ports.items():
        while not ready(name, port):
            if children[name].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start")
            time.sleep(0.05)


def stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            os.kill(child.pid, signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=3)


def fetch(url: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=5) as reply:
        return json.load(reply)


def smoke(ports: dict[str, int]) -> dict[str, Any]:
    """Browse the shop, buy a pair of socks, and wait for queue-master to ship them."""
    front = f"http://{LOOPBACK}:{ports['front-end']}"
    home = fetch(front + "/")
    fetch(front + "/cart", home["catalogue"]["items"][1])
    order = fetch(front + "/checkout", {"customer": "1"})["result"]
    consumed: list[Any] = []
    deadline = time.monotonic() + 5
    while not consumed and time.monotonic() < deadline:
        time.sleep(0.1)
        consumed = fetch(f"http://{LOOPBACK}:{ports['queue-master']}/consumed")["consumed"]
    return {"home": home["reached"], "order": order["order"], "shipped": consumed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8079, help="front-end port (default 8079)")
    parser.add_argument("--smoke", action="store_true", help="run one order through and stop")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ports = {name: free_port() for name in (*DATASTORES, *APPLICATIONS)}
    ports["front-end"] = args.port or free_port()
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        start(ports, children, quiet=args.smoke)
        if args.smoke:
            result = smoke(ports)
            print(json.dumps(result, indent=2))
            return 0 if result["shipped"] else 1
        print(f"sock shop is up: http://{LOOPBACK}:{ports['front-end']}/  (Ctrl-C stops it)")
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(children)


if __name__ == "__main__":
    sys.exit(main())
