"""A repository run on the host with no deployment file: ``localhost:<port>`` reaches the build
unit that listens on that port, and a unit's port is often the env value its listen call reads,
set by its own env file (``PORT=7102`` in ``.env.dev``, viper's ``dev.env``). NestJS
microservices say it in their transport options: the server's options give where it listens,
a client's the address it calls."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_files as _write

from socklock.discover import discover
from socklock.discover.code.listen_ports import LISTEN_PORT, PLACEHOLDER, port_of
from socklock.discover.code.registry import analyser_for
from socklock.load import load_paths


def _edges(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {(e.source, e.target, e.port) for e in graph.edges}


def _unresolved(root: Path) -> list[tuple[str, str, str]]:
    graph = discover(load_paths([str(root)]))
    return sorted(
        (u.source, Path(u.location.file).name, u.reason)
        for u in graph.unresolved
        if "listens" in u.reason
    )


_PACKAGE = '{"name": "%s", "scripts": {"start": "node index.js"}}'
_NODE_CONFIG = (
    "require('dotenv').config({path: `./.env.${process.env.NODE_ENV}`});\n"
    "module.exports = {\n"
    "  PORT: process.env.PORT,\n"
    "  AUDIT_URL: process.env.AUDIT_URL || '',\n"
    "  REPORTS_URL: process.env.REPORTS_URL || '',\n"
    "};\n"
)
_NODE_APP = (
    "const express = require('express');\n"
    "const axios = require('axios');\n"
    "const config = require('./config');\n"
    "const app = express();\n"
    "app.post('/entries', async (req, res) => {\n"
    "  await axios.post(`${config.AUDIT_URL}/events`, req.body);\n"
    "  res.sendStatus(204);\n"
    "});\n"
    "app.listen(config.PORT, () => console.log(`on ${config.PORT}`));\n"
)


def _node_services(root: Path) -> None:
    _write(
        root,
        {
            "ledger/package.json": _PACKAGE % "ledger",
            "ledger/config.js": _NODE_CONFIG,
            "ledger/index.js": _NODE_APP,
            "ledger/.env.dev": "PORT=7101\nAUDIT_URL='http://localhost:7102'\n",
            "audit/package.json": _PACKAGE % "audit",
            "audit/config.js": _NODE_CONFIG,
            "audit/index.js": _NODE_APP,
            # no unit listens on 7999: it stays unresolved, however tempting the name
            "audit/.env.dev": "PORT=7102\nREPORTS_URL=http://localhost:7999\n",
        },
    )


def test_a_node_unit_listens_on_the_port_its_env_file_gives(tmp_path: Path) -> None:
    _node_services(tmp_path)
    assert _edges(tmp_path) == {("code/ledger", "code/audit", 7102)}
    assert _unresolved(tmp_path) == [  # the env file's URL, and the code that reads it
        ("code/audit", ".env.dev", "no build unit of the input listens on port 7999"),
        ("code/audit", "config.js", "no build unit of the input listens on port 7999"),
    ]


def test_the_units_env_file_value_is_joined_to_the_code_that_reads_it(tmp_path: Path) -> None:
    _node_services(tmp_path)
    # a second environment that disagrees: REPORTS_URL has no one value, AUDIT_URL has
    (tmp_path / "audit/.env.production").write_text(
        "PORT=7102\nREPORTS_URL=http://localhost:7998\n", encoding="utf-8"
    )
    graph = discover(load_paths([str(tmp_path)]))
    (edge,) = graph.edges
    assert [(e.kind.value, Path(e.location.file).name, e.location.line) for e in edge.evidence] == [
        ("config", ".env.dev", 2),
        ("env-read", "config.js", 4),  # process.env.AUDIT_URL || '' in ledger/config.js
        ("env-read", "index.js", 6),  # axios.post(`${config.AUDIT_URL}/events`)
    ]
    assert "AUDIT_URL=http://localhost:7102 at" in edge.evidence[2].detail
    assert sorted(
        (u.source, Path(u.location.file).name, u.reason)
        for u in graph.unresolved
        if u.source == "code/audit"
    ) == [
        ("code/audit", ".env.dev", "no build unit of the input listens on port 7999"),
        ("code/audit", ".env.production", "no build unit of the input listens on port 7998"),
        ("code/audit", "config.js", "the call target is empty"),  # AUDIT_URL: no env file
        ("code/audit", "config.js", "the call target is empty"),  # REPORTS_URL: two values
    ]


def test_in_a_container_localhost_is_the_container_itself(tmp_path: Path) -> None:
    _node_services(tmp_path)
    _write(
        tmp_path,
        {
            "docker-compose.yml": (
                "services:\n"
                "  ledger:\n    build: ./ledger\n    env_file: ./ledger/.env.dev\n"
                "  audit:\n    build: ./audit\n    env_file: ./audit/.env.dev\n"
            ),
            "ledger/Dockerfile": "FROM node:20\nCOPY . .\nCMD node index.js\n",
            "audit/Dockerfile": "FROM node:20\nCOPY . .\nCMD node index.js\n",
        },
    )
    assert _edges(tmp_path) == set()


def test_python_and_go_units_listen_on_their_env_files_port(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            # Flask: app.run(port=int(os.environ["PORT"])), PORT from the unit's .env
            "stock/app.py": (
                "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                "if __name__ == '__main__':\n"
                "    app.run(host='0.0.0.0', port=int(os.environ['PORT']))\n"
            ),
            "stock/.env": "PORT=7201\n",
            # Go: net.Listen("tcp", c.Port) on a config struct viper fills from dev.env
            "pricing/go.mod": "module example.com/pricing\n",
            "pricing/cmd/main.go": (
                "package main\n\n"
                'import (\n\t"net"\n\t"net/http"\n\t"os"\n\n'
                '\t"example.com/pricing/pkg/config"\n)\n\n'
                "func main() {\n"
                "\tc, _ := config.LoadConfig()\n"
                '\tlis, _ := net.Listen("tcp", c.Port)\n'
                '\thttp.Get(os.Getenv("STOCK_URL") + "/levels")\n'
                "\t_ = lis\n}\n"
            ),
            "pricing/pkg/config/config.go": (
                "package config\n\n"
                'type Config struct {\n\tPort string `mapstructure:"PORT"`\n}\n\n'
                "func LoadConfig() (c Config, err error) { return }\n"
            ),
            "pricing/pkg/config/envs/dev.env": ("PORT=:7301\nSTOCK_URL=http://localhost:7201\n"),
            # a third unit calls the Go one at the address its env file gives
            "quotes/go.mod": "module example.com/quotes\n",
            "quotes/main.go": (
                'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\n'
                "func main() {\n"
                '\thttp.Get(os.Getenv("PRICING_URL"))\n'
                '\thttp.ListenAndServe(":7302", nil)\n}\n'
            ),
            "quotes/.env": "PRICING_URL=http://localhost:7301/prices\n",
        },
    )
    assert _edges(tmp_path) == {
        ("code/pricing", "code/stock", 7201),
        ("code/quotes", "code/pricing", 7301),
    }


_NEST_SERVER = (
    "import { NestFactory } from '@nestjs/core';\n"
    "import { Transport } from '@nestjs/microservices';\n"
    "import { AppModule } from './app.module';\n"
    "async function bootstrap() {\n"
    "  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {\n"
    "    transport: Transport.%s,\n"
    "    options: %s,\n"
    "  });\n"
    "  await app.listen();\n"
    "}\n"
    "bootstrap();\n"
)
_NEST_PACKAGE = '{"name": "%s", "scripts": {"start": "nest start"}}'


def test_nestjs_transport_options_give_calls_and_listening_ports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "users/package.json": _NEST_PACKAGE % "users",
            "users/src/main.ts": _NEST_SERVER % ("TCP", "{ host: '127.0.0.1', port: 7401 }"),
            "catalog/package.json": _NEST_PACKAGE % "catalog",
            "catalog/src/main.ts": _NEST_SERVER
            % ("GRPC", "{ url: '0.0.0.0:7402', package: 'catalog', protoPath: 'c.proto' }"),
            # a Redis transport's server connects to the broker: it listens on nothing
            "mailer/package.json": _NEST_PACKAGE % "mailer",
            "mailer/src/main.ts": _NEST_SERVER % ("REDIS", "{ host: 'localhost', port: 7403 }"),
            "gateway/package.json": _NEST_PACKAGE % "gateway",
            "gateway/src/main.ts": (
                "import { NestFactory } from '@nestjs/core';\n"
                "async function bootstrap() {\n"
                "  const app = await NestFactory.create(AppModule);\n"
                "  await app.listen(process.env.PORT ?? 7400);\n"
                "}\nbootstrap();\n"
            ),
            "gateway/src/app.module.ts": (
                "import { ClientsModule, Transport } from '@nestjs/microservices';\n"
                "@Module({\n  imports: [\n    ClientsModule.register([\n"
                "      { name: 'USERS', transport: Transport.TCP,\n"
                "        options: { host: '127.0.0.1', port: 7401 } },\n"
                "      { name: 'CATALOG', transport: Transport.GRPC,\n"
                "        options: { url: 'localhost:7402', package: 'catalog' } },\n"
                "      { name: 'MAILER', transport: Transport.TCP,\n"
                "        options: { port: 7403, host: 'localhost' } },\n"
                "      { name: 'LEGACY', transport: Transport.TCP,\n"
                "        options: { host: 'localhost', port: 7499 } },\n"
                "    ]),\n  ],\n})\nexport class AppModule {}\n"
            ),
        },
    )
    assert _edges(tmp_path) == {
        ("code/gateway", "code/users", 7401),
        ("code/gateway", "code/catalog", 7402),
    }
    assert _unresolved(tmp_path) == [
        ("code/gateway", "app.module.ts", "no build unit of the input listens on port 7403"),
        ("code/gateway", "app.module.ts", "no build unit of the input listens on port 7499"),
        ("code/mailer", "main.ts", "no build unit of the input listens on port 7403"),  # broker
    ]


def test_a_broker_transports_server_calls_the_broker_its_options_name(tmp_path: Path) -> None:
    # a consumer of a RabbitMQ queue listens on nothing: its options' URLs are calls
    _write(
        tmp_path,
        {
            "orders/package.json": _NEST_PACKAGE % "orders",
            "orders/src/main.ts": _NEST_SERVER
            % ("RMQ", "{ urls: ['amqp://broker:5672'], queue: 'orders_queue' }"),
            "orders/Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n',
            "users/package.json": _NEST_PACKAGE % "users",
            "users/src/main.ts": _NEST_SERVER % ("TCP", "{ host: 'broker', port: 7401 }"),
            "users/Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n',
            "compose.yaml": (
                "services:\n  orders: {build: ./orders}\n  users: {build: ./users}\n"
                "  broker: {image: 'rabbitmq:3'}\n"
            ),
        },
    )
    # the TCP server's own options name where it listens: no call
    project = tmp_path.name
    assert _edges(tmp_path) == {(f"{project}/orders", f"{project}/broker", 5672)}


def _declared_ports(path: Path) -> list[tuple[str, str]]:
    analyser = analyser_for(path)
    assert analyser is not None
    found = analyser.analyse(str(path), path.read_bytes())
    return [(r.expression, r.value) for r in found if getattr(r, "what", None) == LISTEN_PORT]


def test_what_a_listen_call_declares(tmp_path: Path) -> None:
    source = tmp_path / "server.js"
    source.write_text(
        "const http = require('http');\n"
        "http.createServer(handler).listen(process.env.HTTP_PORT || 8080, '0.0.0.0');\n"
        "server.listen({ port: 9090 });\n"
        "emitter.bind(this);\n",
        encoding="utf-8",
    )
    assert _declared_ports(source) == [
        ("process.env.HTTP_PORT || 8080", "${HTTP_PORT:-8080}"),
        ("9090", "9090"),
    ]
    assert [port_of(w) for w in ("8001", ":50051", "0.0.0.0:80", "[::]:7000")] == [
        8001,
        50051,
        80,
        7000,
    ]
    assert [port_of(w) for w in ("host1", "tcp", "70000", "main:app")] == [None] * 4


def test_the_placeholder_of_a_written_port_gives_its_name_and_default() -> None:
    """One pattern for the analysers' port check and the joiner's filling of it."""
    assert [m.groups() for m in PLACEHOLDER.finditer("${HOST}:${PORT:-8080}")] == [
        ("HOST", None),
        ("PORT", "8080"),
    ]
    # a config key read by its dotted path (``config.getInt("http.port")``): the joiner
    # looks it up in the unit's config files
    dotted = PLACEHOLDER.search("${http.port}")
    assert dotted is not None and dotted.groups() == ("http.port", None)
    assert PLACEHOLDER.search("$PORT") is None
