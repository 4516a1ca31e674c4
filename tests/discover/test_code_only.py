"""Inputs without a deployment: the build units run side by side on one host, so a call to
``localhost:<port>`` reaches the one unit listening there; registry lookups by name reach
the unit that registers under it, on the port its build says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.helpers import write_files

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

    from socklock.model import ServiceGraph


def _write(root: Path, files: dict[str, str]) -> ServiceGraph:
    return discover(load_paths([str(write_files(root, files))]))


def _flask(port: int, body: str = "") -> str:
    return (
        "import requests\nfrom flask import Flask\napp = Flask(__name__)\n"
        f"{body}\nif __name__ == '__main__':\n    app.run(port={port})\n"
    )


USER = """\
def user(name):
    requests.get("http://127.0.0.1:5003/bookings/{}".format(name))
    requests.get("http://localhost:5001/movies")
    requests.get("http://localhost:5000/self")
    requests.get("http://localhost:7777/nobody")
    requests.get("http://localhost:6000/twice")
"""


def test_localhost_reaches_the_one_unit_listening_on_the_port(tmp_path: Path) -> None:
    """user calls bookings (5003) and movies (5001); its own port is no call; 7777 has no
    listener and 6000 two (a and b): unresolved, with the reason."""
    graph = _write(
        tmp_path,
        {
            "services/user.py": _flask(5000, USER),
            "services/bookings.py": _flask(5003),
            "services/movies.py": _flask(5001),
            "services/a.py": _flask(6000),
            "services/b.py": _flask(6000),
        },
    )
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/user", "code/bookings", 5003),
        ("code/user", "code/movies", 5001),
    }
    assert {(u.expression, u.reason) for u in graph.unresolved} == {
        ('"http://localhost:7777/nobody"', "no build unit of the input listens on port 7777"),
        ('"http://localhost:6000/twice"', "2 build units of the input listen on port 6000"),
    }


def test_in_a_deployment_localhost_is_the_container_itself(tmp_path: Path) -> None:
    graph = _write(
        tmp_path,
        {
            "compose.yaml": "services:\n  user: {build: ./user}\n  bookings: {build: ./bookings}\n",
            "user/Dockerfile": "FROM python:3.12\n",
            "user/app.py": _flask(5000, USER),
            "bookings/Dockerfile": "FROM python:3.12\nEXPOSE 5003\n",
            "bookings/app.py": _flask(5003),
        },
    )
    assert [e for e in graph.edges if not e.hint] == []


METADATA = """\
package main

import "flag"

const serviceName = "metadata"

func main() {
	var port int
	flag.IntVar(&port, "port", 8081, "API handler port")
	flag.Parse()
	registry.Register(ctx, id, serviceName, fmt.Sprintf("localhost:%d", port))
}
"""
MOVIE = """\
package main

func main() {
	port := flag.Int("port", 8083, "API handler port")
	grpcutil.ServiceConnection(ctx, "metadata", registry)
	grpcutil.ServiceConnection(ctx, "ghost", registry)
}
"""


def test_a_registry_name_reaches_the_unit_that_registers_it_on_its_flag_port(
    tmp_path: Path,
) -> None:
    graph = _write(
        tmp_path,
        {
            "go.mod": "module example.com/shop\n",
            "metadata/cmd/main.go": METADATA,
            "movie/cmd/main.go": MOVIE,
        },
    )
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/movie", "code/metadata", 8081)
    }
    assert {(u.expression, u.reason) for u in graph.unresolved} == {
        ("ghost", "service id 'ghost' matches no workload")
    }


_WEB_CSPROJ = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup /></Project>\n'


def _launch(*urls: str) -> str:
    profiles = ",".join(
        f'"p{i}": {{"commandName": "Project", "applicationUrl": "{url}"}}'
        for i, url in enumerate(urls)
    )
    iis = '"IIS Express": {"commandName": "IISExpress"}'
    return f'{{"iisSettings": {{}}, "profiles": {{{iis}, {profiles}}}}}'


def test_a_host_run_dotnet_project_listens_on_its_default_launch_profile(tmp_path: Path) -> None:
    """``dotnet run`` starts each project on its first ``Project`` launch profile's URLs, so
    a gateway's ``localhost:7215`` reaches the project whose profile lists it; a port only a
    later profile lists (``dotnet run --launch-profile`` names it) is no listener."""
    routes = (
        '{"Routes": [\n'
        '  {"DownstreamPathTemplate": "/api/customer", "DownstreamScheme": "http",\n'
        '   "DownstreamHostAndPorts": [{"Host": "localhost", "Port": 7215}],\n'
        '   "UpstreamPathTemplate": "/customer"},\n'
        '  {"DownstreamPathTemplate": "/api/product", "DownstreamScheme": "https",\n'
        '   "DownstreamHostAndPorts": [{"Host": "localhost", "Port": 7107}],\n'
        '   "UpstreamPathTemplate": "/product"}]}\n'
    )
    graph = _write(
        tmp_path,
        {
            "Gateway/Gateway.csproj": _WEB_CSPROJ,
            "Gateway/ocelot.json": routes,
            "Gateway/Properties/launchSettings.json": _launch("http://localhost:5055"),
            "Customer/Customer.csproj": _WEB_CSPROJ,
            "Customer/Properties/launchSettings.json": _launch(
                "https://localhost:7215;http://localhost:5215"
            ),
            "Product/Product.csproj": _WEB_CSPROJ,
            "Product/Properties/launchSettings.json": _launch(
                "http://localhost:5107", "https://localhost:7107;http://localhost:5107"
            ),
        },
    )
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/gateway", "code/customer", 7215),
    }


def test_a_host_run_masstransit_bus_on_localhost_reaches_the_broker_it_expects(
    tmp_path: Path,
) -> None:
    """``rabbitmq://localhost/shop`` (MassTransit's address scheme: AMQP, 5672) from a
    project run on the host, where no unit listens on 5672: the RabbitMQ server it expects
    runs beside it."""
    program = (
        "using System;\nusing MassTransit;\n"
        "services.AddMassTransit(x => {\n"
        "    x.UsingRabbitMq((context, cfg) => {\n"
        '        cfg.Host(new Uri("rabbitmq://localhost/shop"), h => { h.Username("guest"); });\n'
        "    });\n"
        "});\n"
    )
    graph = _write(
        tmp_path,
        {"Orders/Orders.csproj": _WEB_CSPROJ, "Orders/Program.cs": program},
    )
    assert {(e.source, e.target, e.port) for e in graph.edges if not e.hint} == {
        ("code/orders", "code/rabbitmq", 5672),
    }
