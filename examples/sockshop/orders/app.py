"""orders: places an order: customer, cart, payment, shipment, then stores it."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urljoin, urlsplit

PAYMENT_URL = os.environ.get("PAYMENT_URL", "http://payment")
SHIPPING_URL = os.getenv("SHIPPING_URL") or sys.exit("SHIPPING_URL is not set")
CARTS_URL = os.environ["CARTS_URL"]
USER_URL = os.environ["USER_URL"]
ORDERS_DB_URI = os.environ.get("ORDERS_DB_URI", "mongodb://orders-db:27017/data")
TIMEOUT = 2.0


def call(url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        result: dict[str, Any] = json.load(response)
        return result


def db(*commands: str) -> list[str]:
    where = urlsplit(ORDERS_DB_URI)
    with socket.create_connection((where.hostname, where.port or 27017), timeout=TIMEOUT) as conn:
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        replies = []
        for command in commands:
            stream.write(command + "\n")
            stream.flush()
            replies.append(stream.readline().rstrip("\n"))
        return replies


def place_order(customer_id: str) -> tuple[int, dict[str, Any]]:
    customer = call(f"{USER_URL}/customers/{customer_id}")
    cart = call(f"{CARTS_URL}/carts/{customer_id}")
    amount = round(sum(float(item.get("price", 0)) for item in cart["items"]), 2)
    payment = call(urljoin(PAYMENT_URL, "/paymentAuth"), {"amount": amount})
    reached = [customer["service"], cart["service"], payment["service"]]
    order: dict[str, Any] = {"id": uuid.uuid4().hex, "customer": customer_id, "total": amount}
    if not payment["authorised"]:
        return 402, {"service": "orders", "reached": reached, "error": payment["message"]}
    address = customer["customer"]["address"]
    shipment = call(SHIPPING_URL + "/shipping", {"order": order["id"], "address": address})
    order["shipment"] = shipment["shipment"]["id"]
    db(f"SET order:{order['id']} {json.dumps(order)}")
    reached += [shipment["service"], "orders-db"]
    return 201, {"service": "orders", "reached": reached, "order": order}


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
        elif self.path == "/orders":
            try:
                (keys,) = db("KEYS order:")
                orders = [json.loads(o) for o in db(*(f"GET {k}" for k in keys.split()))]
            except OSError as error:
                self.send(502, {"service": "orders", "error": str(error)})
                return
            self.send(200, {"service": "orders", "reached": ["orders-db"], "orders": orders})
        else:
            self.send(404, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path != "/orders":
            self.send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length) or b"{}")
        try:
            status, result = place_order(str(request.get("customer", "1")))
        except (OSError, ValueError, KeyError) as error:
            status, result = 502, {"service": "orders", "error": repr(error)}
        self.send(status, result)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    address = (os.environ.get("BIND", "0.0.0.0"), int(os.environ.get("PORT", "8080")))
    with ThreadingHTTPServer(address, Handler) as server:
        print(f"orders listening on {address[0]}:{address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
