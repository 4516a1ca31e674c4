"""An env var named by a constant of another module (``os.environ.get(names.ORDERS)``,
``os.Getenv(constants.OrdersURL)``): the constant's value is the variable's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

COMPOSE = """\
services:
  app:
    build: ./app
    environment:
      ORDERS_URL: http://orders:8080
      STOCK: http://stock:8080
  orders:
    image: example/orders
    expose: ["8080"]
  stock:
    image: example/stock
    expose: ["8080"]
"""
MAIN_PY = """\
import os
import requests
import names

requests.get(os.environ.get(names.ORDERS))
requests.get(os.environ.get(names.STOCK))
"""


def test_a_python_module_constant_names_the_env_var(tmp_path: Path) -> None:
    files = {
        "compose.yaml": COMPOSE,
        "app/Dockerfile": "FROM python:3.12\n",
        "app/names.py": 'ORDERS = "ORDERS_URL"\nSTOCK = "STOCK_ADDR"\n',
        "app/main.py": MAIN_PY,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]))
    project = tmp_path.name
    edges = {(e.source, e.target, e.port) for e in graph.edges if not e.hint}
    # names.STOCK is STOCK_ADDR, which nothing sets (not the STOCK the compose file sets)
    assert edges == {(f"{project}/app", f"{project}/orders", 8080)}
