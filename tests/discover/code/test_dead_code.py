"""Go functions nothing in their package mentions are dead code; a mention anywhere in the
package's other files (a call, an interface method) keeps them, a test file does not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.code.registry import analyser_for

if TYPE_CHECKING:
    from pathlib import Path

HANDLERS = """package main

import "net/http"

// notifyBilling is called from main.go.
func notifyBilling() {
	http.Post("http://billing:7000/notify", "application/json", nil)
}

// pushAudit satisfies the auditor interface of jobs.go.
func (j *job) pushAudit() {
	http.Post("http://audit:7100/events", "application/json", nil)
}

// forgotten is only called from a test: not by the program.
func forgotten() {
	http.Get("http://legacy:7200/old")
}

// logViaJSON is a leftover nothing calls (its own doc comment names it).
func (app *Config) logViaJSON() {
	http.Post("http://logger:7300/log", "application/json", nil)
}

// handleOrders is handed to the router as a method value in main.go: it runs.
func (app *Config) handleOrders(w http.ResponseWriter, r *http.Request) {
	http.Get("http://orders:7400/list")
}

// Ping is exported: another package may call it.
func Ping() {
	http.Get("http://health:7500/ping")
}
"""


def _targets(path: Path) -> set[str]:
    analyser = analyser_for(path)
    assert analyser is not None
    return {
        r.target
        for r in analyser.analyse(str(path), path.read_bytes())
        if getattr(r, "target", None) is not None
    }


def test_a_mention_in_another_file_of_the_package_keeps_a_function(tmp_path: Path) -> None:
    (tmp_path / "handlers.go").write_text(HANDLERS)
    (tmp_path / "main.go").write_text(
        'package main\n\nimport "net/http"\n\ntype Config struct{}\n\n'
        'func main() {\n\tapp := &Config{}\n\thttp.HandleFunc("/o", app.handleOrders)\n'
        "\tnotifyBilling() // not logViaJSON(): commented out\n}\n"
    )
    (tmp_path / "jobs.go").write_text(
        "package main\n\ntype job struct{}\n\ntype auditor interface{ pushAudit() }\n"
    )
    (tmp_path / "handlers_test.go").write_text(
        'package main\n\nimport "testing"\n\nfunc TestForgotten(t *testing.T) { forgotten() }\n'
    )
    assert _targets(tmp_path / "handlers.go") == {
        "http://billing:7000/notify",
        "http://audit:7100/events",
        "http://orders:7400/list",
        "http://health:7500/ping",
    }
