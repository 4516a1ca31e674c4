"""One Go module, several ``main`` packages run on the host (``cmd/<name>``), the rest of the
module library code: a call in a library package belongs to the programs that reach it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover import discover
from socklock.load import load_paths

if TYPE_CHECKING:
    from pathlib import Path

_FILES = {
    "go.mod": "module example.com/depot\n\ngo 1.22\n",
    # the server the others call
    "cmd/stockd/main.go": (
        'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":7100", nil) }\n'
    ),
    # reaches store.Open (a call), and events.New, whose sender is never used
    "cmd/picker/main.go": (
        "package main\n\n"
        'import (\n\t"example.com/depot/internal/events"\n\t"example.com/depot/pkg/store"\n)\n\n'
        "func main() {\n\tstore.Open()\n\t_ = events.New()\n}\n"
    ),
    # names no library function: none of the library's calls is its own
    "cmd/idle/main.go": (
        'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":7200", nil) }\n'
    ),
    "pkg/store/store.go": (
        'package store\n\nimport "net/http"\n\n'
        'func Open() { http.Get("http://localhost:7100/stock") }\n\n'
        'func Audit() { http.Get("http://localhost:7200/audit") }\n'
    ),
    # a method named only in an interface's method list and in a comment: never called
    "internal/events/events.go": (
        'package events\n\nimport "net/http"\n\n'
        "type sender interface {\n\tsend() error\n}\n\n"
        "type httpSender struct{}\n\n"
        "func (httpSender) send() error {\n"
        '\t_, err := http.Get("http://localhost:7200/events")\n\treturn err\n}\n\n'
        "type Service struct{ out sender }\n\n"
        "func New() Service { return Service{out: httpSender{}} }\n\n"
        "func (s Service) Emit() error {\n\t// return s.out.send()\n\treturn nil\n}\n"
    ),
    # a script and a config file at the module's root are no program's code
    "scripts/seed.py": 'import requests\nrequests.get("http://localhost:7200/seed")\n',
    "config/settings.yaml": "audit:\n  url: http://localhost:7200/audit\n",
}


def test_library_calls_belong_to_the_programs_that_reach_them(tmp_path: Path) -> None:
    for name, text in _FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = discover(load_paths([str(tmp_path)]))
    assert {(e.source, e.target, e.port) for e in graph.edges} == {
        ("code/picker", "code/stockd", 7100),
    }
