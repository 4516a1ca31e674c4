"""One source tree mounted into several services, each with its own ``working_dir``: a call
in the shared library code belongs to the programs that reach it; and a service built from
a context without code ignores what a shared env file hands it unless its build names it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.discover.reach import Reach, definitions
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_SERVICE = """\
  {name}:
    build: {{context: docker/app}}
    volumes: ["./src:/src"]
    working_dir: {working_dir}
    env_file: [.env]
    ports: ["{port}:9000"]
"""
_ENV = "ORDERS_ADDR=orders:9000\nBILLING_ADDR=billing:9000\n"
_CLIENTS = """\
package clients

import (
\t"net"
\t"os"
)

func DialOrders() (net.Conn, error) {
\treturn net.Dial("tcp", os.Getenv("ORDERS_ADDR"))
}

func DialBilling() (net.Conn, error) {
\treturn net.Dial("tcp", os.Getenv("BILLING_ADDR"))
}
"""
_STARTS_ORDERS = """\
package main

import "example.com/shop/common/clients"

func main() {
\tconnect()
}

func connect() {
\tclients.DialOrders()
}
"""


def _tree(root: Path, programs: dict[str, str], *, working_dir: str = "/src/{name}d") -> None:
    """Services ``orders``, ``billing`` and the given programs (name → main.go), all
    running ``src`` from one mount, each in its directory ``src/<name>d``."""
    names = ["orders", "billing", *programs]
    body = "services:\n" + "".join(
        _SERVICE.format(name=n, working_dir=working_dir.format(name=n), port=8000 + i)
        for i, n in enumerate(names)
    )
    (root / "docker-compose.yml").write_text(body)
    (root / ".env").write_text(_ENV)
    (root / "docker" / "app").mkdir(parents=True)
    (root / "docker" / "app" / "Dockerfile").write_text("FROM golang:1.22\nCMD go run .\n")
    (root / "src" / "common" / "clients").mkdir(parents=True)
    (root / "src" / "common" / "clients" / "clients.go").write_text(_CLIENTS)
    for name in names:
        (root / "src" / f"{name}d").mkdir()
        main = programs.get(name, "package main\n\nfunc main() {}\n")
        (root / "src" / f"{name}d" / "main.go").write_text(main)


def _calls(root: Path) -> set[tuple[str, str, int | None]]:
    graph = discover(load_paths([str(root)]))
    return {
        (e.source.rsplit("/", 1)[-1], e.target.rsplit("/", 1)[-1], e.port)
        for e in graph.edges
        if not e.hint
    }


def test_a_library_function_counts_only_for_the_program_that_calls_it(tmp_path: Path) -> None:
    _tree(tmp_path, {"web": _STARTS_ORDERS})
    assert _calls(tmp_path) == {("web", "orders", 9000)}


def test_a_program_calling_both_functions_calls_both(tmp_path: Path) -> None:
    both = "package main\n\nfunc main() {\n\tclients.DialOrders()\n\tclients.DialBilling()\n}\n"
    _tree(tmp_path, {"web": both})
    assert _calls(tmp_path) == {("web", "orders", 9000), ("web", "billing", 9000)}


def test_another_programs_function_of_the_same_name_reaches_nothing(tmp_path: Path) -> None:
    # billing's own ``connect`` dials billing; web's ``connect`` is web's, not billing's
    billing = "package main\n\nfunc connect() {\n\tclients.DialBilling()\n}\n"
    _tree(tmp_path, {"web": _STARTS_ORDERS})
    (tmp_path / "src" / "billingd" / "main.go").write_text(billing)
    assert _calls(tmp_path) == {("web", "orders", 9000)}


def test_without_a_working_dir_below_the_mount_the_whole_tree_is_the_program(
    tmp_path: Path,
) -> None:
    _tree(tmp_path, {"web": _STARTS_ORDERS}, working_dir="/src")
    assert ("web", "billing", 9000) in _calls(tmp_path)


def test_a_test_file_of_the_program_reaches_nothing(tmp_path: Path) -> None:
    _tree(tmp_path, {"web": "package main\n\nfunc main() {}\n"})
    test = "package main\n\nfunc TestX() {\n\tclients.DialBilling()\n}\n"
    (tmp_path / "src" / "webd" / "main_test.go").write_text(test)
    assert _calls(tmp_path) == set()


def test_definitions_of_python_and_javascript(tmp_path: Path) -> None:
    python = tmp_path / "lib.py"
    python.write_text(
        "import os\n\nURL = os.environ['A']\n\n\ndef orders():\n    return 1\n\n"
        "@cached\nclass Billing:\n    def get(self):\n        pass\n"
    )
    script = tmp_path / "lib.ts"
    script.write_text(
        "export async function orders() {\n  return 1;\n}\n"
        "export const billing = (x) => {\n  return x;\n};\nconst port = 3;\n"
    )
    assert [(d.name, d.first, d.last) for d in definitions(python) or ()] == [
        ("orders", 6, 8),
        ("Billing", 10, 12),
    ]
    assert [(d.name, d.first, d.last) for d in definitions(script) or ()] == [
        ("orders", 1, 3),
        ("billing", 4, 6),
    ]
    assert definitions(tmp_path / "lib.rb") is None


def test_module_level_code_of_the_library_is_always_reached(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print(1)\n")
    (tmp_path / "lib.py").write_text("import os\nURL = os.environ['A']\n\ndef f():\n    g()\n")
    reach = Reach(frozenset({(tmp_path / "app").resolve()}))
    program, library = (tmp_path / "app").resolve(), tmp_path.resolve()
    assert reach.reaches(program, library, str(tmp_path / "lib.py"), 2)
    assert not reach.reaches(program, library, str(tmp_path / "lib.py"), 5)


_BUILT = """\
services:
  api:
    image: example/api
    env_file: [.env]
    ports: ["8080:8080"]
  emulator:
    build: {context: emulator}
    env_file: [.env]
    ports: ["8787:8787"]
  orders:
    image: example/orders
    ports: ["9000:9000"]
"""


def _built(root: Path, start: str, extra_env: str = "") -> None:
    (root / "docker-compose.yml").write_text(_BUILT + extra_env)
    (root / ".env").write_text("ORDERS_ADDR=orders:9000\n")
    (root / "emulator").mkdir()
    (root / "emulator" / "Dockerfile").write_text("FROM node:20\nCOPY start.sh .\n")
    (root / "emulator" / "start.sh").write_text(start)


def test_a_codeless_build_ignores_a_shared_env_file_its_files_never_name(tmp_path: Path) -> None:
    _built(tmp_path, "#!/bin/sh\nexec emulator start\n")
    assert _calls(tmp_path) == {("api", "orders", 9000)}


def test_a_codeless_build_whose_script_names_the_variable_calls_it(tmp_path: Path) -> None:
    _built(tmp_path, '#!/bin/sh\nexec emulator start --peer "$ORDERS_ADDR"\n')
    assert _calls(tmp_path) == {("api", "orders", 9000), ("emulator", "orders", 9000)}


def test_a_variable_set_for_the_build_alone_stays_a_call(tmp_path: Path) -> None:
    _built(tmp_path, "#!/bin/sh\nexec emulator start\n")
    alone = '    environment: {PEER: "orders:9000"}\n    ports: ["8787'
    compose = _BUILT.replace('    env_file: [.env]\n    ports: ["8787', alone)
    (tmp_path / "docker-compose.yml").write_text(compose)
    assert _calls(tmp_path) == {("api", "orders", 9000), ("emulator", "orders", 9000)}


def _go_tree(root: Path, files: dict[str, str]) -> Reach:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return Reach(frozenset({(root / "web").resolve()}))


_APPS = """\
package apps

// Gateway runs the web side. See NewWorker for the other one.
type Gateway struct{ Cfg string }

type Worker struct{ Cfg string }

func NewGateway() *Gateway {
\treturn &Gateway{}
}

func NewWorker() *Worker {
\treturn &Worker{}
}

func (g *Gateway) run() {
\tdialOrders()
}

func (w *Worker) run() {
\tdialBilling()
}

func dialOrders() {}

func dialBilling() {}
"""


def test_a_go_method_is_reached_only_with_its_receiver_type(tmp_path: Path) -> None:
    main = 'package main\n\nimport "x/apps"\n\nfunc main() {\n\tapps.NewGateway().run()\n}\n'
    reach = _go_tree(tmp_path, {"web/main.go": main, "apps/apps.go": _APPS})
    program, library, apps = (tmp_path / "web").resolve(), tmp_path.resolve(), "apps/apps.go"
    lines = _APPS.splitlines()
    gateway_run = lines.index("func (g *Gateway) run() {") + 2
    worker_run = lines.index("func (w *Worker) run() {") + 2
    assert reach.reaches(program, library, str(tmp_path / apps), gateway_run)
    # ``run`` is named, but no code of the program names Worker (the comment does not count)
    assert not reach.reaches(program, library, str(tmp_path / apps), worker_run)


def test_a_go_type_of_another_package_does_not_name_a_library_type(tmp_path: Path) -> None:
    # web names its own ``Worker`` (web/local.go) and calls ``run`` on it: apps.Worker's
    # ``run`` is another type's method
    main = 'package main\n\nimport "x/apps"\n\nfunc main() {\n\tapps.NewGateway()\n}\n'
    local = "package main\n\ntype Worker struct{}\n\nfunc (w Worker) run() {}\n"
    reach = _go_tree(tmp_path, {"web/main.go": main, "web/local.go": local, "apps/apps.go": _APPS})
    program, library = (tmp_path / "web").resolve(), tmp_path.resolve()
    worker_run = _APPS.splitlines().index("func (w *Worker) run() {") + 2
    assert not reach.reaches(program, library, str(tmp_path / "apps/apps.go"), worker_run)
    # named as apps.Worker, it is reached
    (tmp_path / "web" / "local.go").write_text(
        'package main\n\nimport "x/apps"\n\nvar w = apps.Worker{}\n\nfunc start() {\n\tw.run()\n}\n'
    )
    again = Reach(frozenset({program}))
    assert again.reaches(program, library, str(tmp_path / "apps/apps.go"), worker_run)


def test_another_go_main_package_is_never_library_code(tmp_path: Path) -> None:
    main = "package main\n\nfunc main() {\n\tconnect()\n}\n"
    other = "package main\n\nfunc connect() {\n\tdial()\n}\n\nfunc dial() {}\n"
    reach = _go_tree(tmp_path, {"web/main.go": main, "tools/seed/main.go": other})
    program, library = (tmp_path / "web").resolve(), tmp_path.resolve()
    assert not reach.reaches(program, library, str(tmp_path / "tools/seed/main.go"), 4)


_COPIES = """\
services:
  app: &app
    build: {context: emulator}
    env_file: [.env]
  worker:
    <<: *app
    command: worker.sh
  orders:
    image: example/orders
    ports: ["9000:9000"]
"""


def test_an_env_file_shared_only_by_copies_of_one_build_is_that_programs_own(
    tmp_path: Path,
) -> None:
    _built(tmp_path, "#!/bin/sh\nexec emulator start\n")
    (tmp_path / "docker-compose.yml").write_text(_COPIES)
    assert _calls(tmp_path) == {("app", "orders", 9000), ("worker", "orders", 9000)}


def test_a_copy_of_the_build_beside_another_program_still_shares_the_file(
    tmp_path: Path,
) -> None:
    _built(tmp_path, "#!/bin/sh\nexec emulator start\n")
    other = '  api:\n    image: example/api\n    env_file: [.env]\n    ports: ["8080:8080"]\n'
    (tmp_path / "docker-compose.yml").write_text(_COPIES + other)
    assert _calls(tmp_path) == {("api", "orders", 9000)}
