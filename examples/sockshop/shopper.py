"""A scripted shopper: browse the catalogue, put a pair of socks in the cart, place an order.

    python3 shopper.py http://FRONT-END:PORT

Prints one JSON object, ``{"ok": bool, "steps": [{"step", "ok", "detail"}, ...]}``, and exits
0 when every step succeeded. Each step checks what the shop says it reached, so a step that
"works" while a back-end call failed is a failure. Only the Python standard library is needed.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any

TIMEOUT = 5.0


def fetch(url: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.load(error)
        except ValueError:
            return error.code, {}


def _step(name: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"step": name, "ok": ok, "detail": detail}


def shop(front: str) -> list[dict[str, Any]]:
    steps = []
    try:
        status, home = fetch(front + "/")
    except OSError as error:
        return [_step("browse the catalogue", False, str(error))]
    reached = sorted(home.get("reached", []))
    items = home.get("catalogue", {}).get("items", [])
    ok = status == 200 and reached == ["carts", "catalogue", "orders", "user"] and bool(items)
    steps.append(
        _step("browse the catalogue", ok, f"HTTP {status}: {home.get('error') or reached}")
    )
    if not items:
        return steps
    item = items[1] if len(items) > 1 else items[0]
    try:
        status, added = fetch(front + "/cart", item)
        ok = status == 201 and added.get("reached") == ["carts"]
        steps.append(_step("fill the cart", ok, f"HTTP {status}: {added.get('error') or item}"))
        status, placed = fetch(front + "/checkout", {"customer": "1"})
    except OSError as error:
        steps.append(_step("place an order", False, str(error)))
        return steps
    result = placed.get("result", {})
    order = result.get("order", {})
    called = result.get("reached", [])
    ok = status == 201 and bool(order.get("shipment")) and "payment" in called
    detail = placed.get("error") or result.get("error") or f"order {order.get('id')} via {called}"
    steps.append(_step("place an order", ok, f"HTTP {status}: {detail}"))
    return steps


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    steps = shop(sys.argv[1].rstrip("/"))
    ok = len(steps) == 3 and all(s["ok"] for s in steps)
    print(json.dumps({"ok": ok, "steps": steps}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
