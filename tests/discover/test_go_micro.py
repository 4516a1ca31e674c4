"""go-micro services: the registry/broker addresses their image's ``ENV`` gives
(``MICRO_REGISTRY_ADDRESS``, ``MICRO_BROKER_ADDRESS``) are read where the code builds a
service (micro.NewService; a web service, web.NewService, registers but starts no broker),
a client calls a service by the name it registers under, a constant too, and the micro
toolkit's API gateway (``micro api``) calls the services of its namespace."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.load import load_paths

_COMPOSE = """\
services:
  consul:
    image: consul:1.15
  nats:
    image: nats:2
  users:
    build: ./build/users
  orders:
    build: ./build/orders
  api:
    build: ./build/api
  tool:
    build: ./build/tool
  gateway:
    build: ./build/gateway
"""
_GATEWAY = """\
FROM alpine:3
COPY micro /micro
ENV MICRO_REGISTRY_ADDRESS=consul:8500 \\
    MICRO_API_HANDLER=http \\
    MICRO_API_NAMESPACE=shop.api
ENTRYPOINT /micro api
"""
_DOCKERFILE = """\
FROM alpine:3
COPY ./%s /
ENV MICRO_REGISTRY=consul \\
    MICRO_REGISTRY_ADDRESS=consul:8500 \\
    MICRO_BROKER=nats \\
    MICRO_BROKER_ADDRESS=nats
ENTRYPOINT /%s
"""
_USERS = """\
package main

import micro "github.com/micro/go-micro"

const ServiceName = "shop.srv.users"

func main() {
	srv := micro.NewService(micro.Name(ServiceName))
	srv.Init()
	_ = srv.Run()
}
"""
_ORDERS = """\
package main

import (
	micro "github.com/micro/go-micro"
	users "example.com/shop/users/proto"
)

func main() {
	srv := micro.NewService(micro.Name("shop.srv.orders"))
	srv.Init()
	client := users.NewUsersService("shop.srv.users", srv.Client())
	_ = client
	_ = srv.Run()
}
"""
_API = """\
package main

import (
	"github.com/micro/go-micro/client"
	"github.com/micro/go-micro/web"
	users "example.com/shop/users/proto"
)

const UsersServiceName = "shop.srv.users"

func main() {
	srv := web.NewService(web.Name("shop.api.orders"))
	_ = srv.Init()
	c := users.NewUsersService(UsersServiceName, client.DefaultClient)
	_ = c
	_ = srv.Run()
}
"""
_TOOL = """\
package main

import "fmt"

func main() { fmt.Println("no go-micro service here") }
"""


def test_go_micro_services_read_their_images_env_and_call_by_service_name(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "docker-compose.yml": _COMPOSE,
            "go.mod": "module example.com/shop\n\ngo 1.13\n",
            **{f"build/{n}/Dockerfile": _DOCKERFILE % (n, n) for n in ("users", "orders", "api")},
            "build/tool/Dockerfile": _DOCKERFILE % ("tool", "tool"),
            "build/gateway/Dockerfile": _GATEWAY,
            "users/main.go": _USERS,
            "orders/main.go": _ORDERS,
            "api/main.go": _API,
            "tool/main.go": _TOOL,
        },
    )
    graph = discover(load_paths([str(tmp_path)]))
    root = tmp_path.name
    edges = {
        (e.source.split("/")[-1], e.target.split("/")[-1], e.port)
        for e in graph.edges
        if not e.hint
    }
    assert all(e.source.startswith(root) for e in graph.edges)
    assert edges == {
        ("users", "consul", 8500),
        ("users", "nats", 4222),
        ("orders", "consul", 8500),
        ("orders", "nats", 4222),
        ("orders", "users", None),  # by the name users registers under
        ("api", "consul", 8500),  # a web service: no broker
        ("api", "users", None),  # the name as a constant
        # tool: the same ENV, no go-micro service built: nothing
        # the micro toolkit's API gateway serves /orders/ from shop.api.orders; users
        # (shop.srv.users) is outside its namespace
        ("gateway", "api", None),
    }
