"""The demo sock shop really runs: 13 processes on loopback, calling each other over the network."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

SHOP = Path(__file__).resolve().parents[2] / "examples" / "sockshop"
LOOPBACK = "127.0.0.1"
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
TIMEOUT = 5.0
START_DEADLINE = 10.0

Ports = dict[str, int]

pytestmark = pytest.mark.xdist_group("sockshop-processes")


def ephemeral_range() -> range:
    """The kernel's range for outgoing connections' source ports (Linux's default if unreadable)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    except (OSError, ValueError):
        return range(32768, 61000)
    return range(int(low), int(high) + 1)


def free_ports(names: tuple[str, ...]) -> Ports:
    """A distinct free port for each name, below the ephemeral range.

    Ports asked of the kernel with bind(0) come from the ephemeral range, where any
    connection made meanwhile (other tests run in parallel) may take one as its source
    port before the service binds it; and a port let go may be handed out again. So the
    ports are chosen at random below that range and every probe is held until all are
    chosen. The module's tests run in one xdist group, so one shop runs at a time.
    """
    first = max(1024, ephemeral_range().start - 8000)
    probes: list[socket.socket] = []
    ports: Ports = {}
    try:
        candidates = iter(random.sample(range(first, ephemeral_range().start), k=200))
        for name in names:
            for port in candidates:
                probe = socket.socket()
                try:
                    probe.bind((LOOPBACK, port))
                except OSError:
                    probe.close()
                    continue
                probes.append(probe)
                ports[name] = port
                break
            else:
                pytest.fail(f"no free port for {name} below the ephemeral range")
    finally:
        for probe in probes:
            probe.close()
    return ports


def environments(ports: Ports) -> dict[str, dict[str, str]]:
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
        "catalogue-db": {"MYSQL_PASSWORD": "fake", "MYSQL_ROOT_PASSWORD": "fakepassword"},
        "user": {"USER_DB_URI": f"mongodb://{tcp['user-db']}/users"},
        "shipping": {"AMQP_URL": amqp},
        "queue-master": {"AMQP_URL": amqp, "POLL_SECONDS": "0.1"},
    }
    for name, port in ports.items():
        wiring.setdefault(name, {}).update(PORT=str(port), BIND=LOOPBACK)
    return wiring


def request(port: int, path: str, body: Any = None) -> tuple[int, Any]:
    """GET (or POST when a body is given) on a service; returns the status and the parsed body."""
    data = None if body is None else json.dumps(body).encode()
    url = f"http://{LOOPBACK}:{port}{path}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=TIMEOUT) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    text = raw.decode()
    return status, (text if text == "ok" else json.loads(text))


def ok(port: int, path: str, body: Any = None) -> Any:
    status, result = request(port, path, body)
    assert status in (200, 201), (path, status, result)
    return result


def tcp(port: int, *commands: str) -> list[str]:
    """Send line commands to a datastore or the broker; returns one reply line per command."""
    with socket.create_connection((LOOPBACK, port), timeout=TIMEOUT) as conn:
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        replies = []
        for command in commands:
            stream.write(command + "\n")
            stream.flush()
            replies.append(stream.readline().rstrip("\n"))
        return replies


def stats(port: int) -> dict[str, int]:
    _, reply = tcp(port, "AUTH root fakepassword", "STATS")  # catalogue-db wants a login
    counts: dict[str, int] = json.loads(reply)
    return counts


def queries(counts: dict[str, int]) -> int:
    """How many data commands a store served, leaving out logins, health checks and STATS."""
    return sum(n for verb, n in counts.items() if verb not in ("AUTH", "PING", "STATS"))


def ready(name: str, port: int) -> bool:
    try:
        if name in DATASTORES:
            return tcp(port, "PING") == ["PONG"]
        return request(port, "/health") == (200, "ok")
    except OSError:
        return False


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


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ports]:
    logs = tmp_path_factory.mktemp("sockshop-logs")
    ports = free_ports((*DATASTORES, *APPLICATIONS))
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, env in environments(ports).items():
            with open(logs / f"{name}.log", "wb") as log:
                children[name] = subprocess.Popen(
                    [sys.executable, "app.py"],
                    cwd=SHOP / name,
                    env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        deadline = time.monotonic() + START_DEADLINE
        for name, port in ports.items():
            while not ready(name, port):
                if children[name].poll() is not None or time.monotonic() > deadline:
                    output = (logs / f"{name}.log").read_text()
                    pytest.fail(f"{name} did not become ready:\n{output}")
                time.sleep(0.05)
        yield ports
    finally:
        stop(children)


def test_every_service_is_up(shop: Ports) -> None:
    for name in APPLICATIONS:
        assert request(shop[name], "/health") == (200, "ok"), name
    for name in DATASTORES:
        assert tcp(shop[name], "PING") == ["PONG"], name


def test_front_end_page_reaches_its_four_peers_and_their_databases(shop: Ports) -> None:
    databases = ("catalogue-db", "carts-db", "orders-db", "user-db")
    before = {name: stats(shop[name]) for name in databases}

    page = ok(shop["front-end"], "/")

    assert page["service"] == "front-end"
    assert page["reached"] == ["catalogue", "carts", "orders", "user"]
    assert page["catalogue"]["reached"] == ["catalogue-db"]
    assert [sock["name"] for sock in page["catalogue"]["items"]] == ["Holy", "Crossed", "Figueroa"]
    assert page["cart"]["reached"] == ["carts-db"]
    assert page["orders"]["reached"] == ["orders-db"]
    assert page["customer"]["reached"] == ["user-db"]
    assert page["customer"]["customer"]["id"] == "1"
    after = {name: stats(shop[name]) for name in databases}
    for name in databases:
        assert queries(after[name]) > queries(before[name]), f"{name} was never queried"


def test_order_reaches_user_carts_payment_shipping_and_orders_db(shop: Ports) -> None:
    sock = {"id": "2", "name": "Crossed", "price": 17.32}
    ok(shop["carts"], "/carts/7/items", sock)
    ok(shop["carts"], "/carts/7/items", sock)
    published_before = stats(shop["rabbitmq"]).get("PUB", 0)

    status, placed = request(shop["orders"], "/orders", {"customer": "7"})

    assert status == 201, placed
    assert placed["reached"] == ["user", "carts", "payment", "shipping", "orders-db"]
    order = placed["order"]
    assert order["customer"] == "7"
    assert order["total"] == pytest.approx(34.64)
    stored = tcp(shop["orders-db"], f"GET order:{order['id']}")
    assert json.loads(stored[0]) == order
    assert order in ok(shop["orders"], "/orders")["orders"]
    assert stats(shop["rabbitmq"]).get("PUB", 0) == published_before + 1

    deadline = time.monotonic() + TIMEOUT
    shipped: list[str] = []
    while order["shipment"] not in shipped and time.monotonic() < deadline:
        time.sleep(0.05)
        shipped = [task["id"] for task in ok(shop["queue-master"], "/consumed")["consumed"]]
    assert order["shipment"] in shipped, "queue-master never consumed the shipment"
    consumed = ok(shop["queue-master"], "/consumed")["consumed"]
    assert {"id": order["shipment"], "order": order["id"], "address": "1 Sock Lane"} in consumed


def test_checkout_through_the_front_end(shop: Ports) -> None:
    ok(shop["front-end"], "/cart", {"id": "3", "name": "Figueroa", "price": 14.0})

    checkout = ok(shop["front-end"], "/checkout", {"customer": "1"})

    assert checkout["reached"] == ["orders"]
    assert checkout["result"]["reached"] == ["user", "carts", "payment", "shipping", "orders-db"]
    assert checkout["result"]["order"]["total"] >= 14.0


def test_payment_declines_a_large_order_and_nothing_ships(shop: Ports) -> None:
    ok(shop["carts"], "/carts/9/items", {"id": "1", "name": "Holy", "price": 99.99})
    ok(shop["carts"], "/carts/9/items", {"id": "1", "name": "Holy", "price": 99.99})
    published_before = stats(shop["rabbitmq"]).get("PUB", 0)

    status, refused = request(shop["orders"], "/orders", {"customer": "9"})

    assert status == 402, refused
    assert refused["reached"] == ["user", "carts", "payment"]
    assert stats(shop["rabbitmq"]).get("PUB", 0) == published_before


def test_catalogue_db_wants_the_password(shop: Ports) -> None:
    port = shop["catalogue-db"]
    assert tcp(port, "GET socks") == ["ERR authentication required"]
    assert tcp(port, "AUTH catalogue wrong", "GET socks") == [
        "ERR access denied",
        "ERR authentication required",
    ]
    reply = tcp(port, "AUTH catalogue fake", "GET socks")
    assert reply[0] == "OK"
    assert len(json.loads(reply[1])) == 3


def test_unknown_paths_are_404(shop: Ports) -> None:
    for name in APPLICATIONS:
        assert request(shop[name], "/nope")[0] == 404, name


def test_run_local_smoke_starts_and_stops_everything() -> None:
    launcher = subprocess.Popen(
        [sys.executable, "run_local.py", "--smoke", "--port", "0"],
        cwd=SHOP,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = launcher.communicate(timeout=20)
    finally:
        if launcher.poll() is None:
            os.kill(launcher.pid, signal.SIGTERM)  # it stops its own children by pid
            try:
                launcher.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(launcher.pid, signal.SIGKILL)
                launcher.communicate(timeout=5)
    assert launcher.returncode == 0, err.decode()
    result = json.loads(out)
    assert result["home"] == ["catalogue", "carts", "orders", "user"]
    assert [task["order"] for task in result["shipped"]] == [result["order"]["id"]]
