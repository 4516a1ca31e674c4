"""The accuracy harness scores a graph against a truth file exactly (aliases, any-port
truth edges, externals left out), on a tiny app of our own."""

from __future__ import annotations

from pathlib import Path

from benchmarks.accuracy import markdown, measure, read_truth, report, truths

COMPOSE = """\
services:
  web:
    image: example/web:1
    environment:
      API_URL: http://api:8080/v1
      ANALYTICS: https://analytics.example.com
  api:
    image: example/api:1
    environment:
      DB: postgres://db:5432/app
  db:
    image: postgres:16
  cache:
    image: redis:7
"""
TRUTH = """\
app = "tiny"
repo = "us/tiny"
categories = ["no-manifests"]
inputs = ["."]
[names]
"database" = ["db"]
[[call]]
from = "web"
to = "api"
port = 8080
evidence = "docker-compose.yml:5"
[[call]]
from = "api"
to = "database"
port = 0
evidence = "docker-compose.yml:11"
[[call]]
from = "web"
to = "cache"
port = 6379
evidence = "nowhere: a call socklock cannot see"
miss = "the address arrives at run time"
"""


def test_scores_are_exact(tmp_path: Path) -> None:
    app = tmp_path / "apps" / "us+tiny"
    app.mkdir(parents=True)
    (app / "docker-compose.yml").write_text(COMPOSE)
    truth_file = tmp_path / "tiny.toml"
    truth_file.write_text(TRUTH)
    truth = read_truth(truth_file)
    assert truth.aliases == {"database": "database", "db": "database"}
    score = measure(truth, tmp_path / "apps", code=False, manifests=True, mode="manifests only")
    # the external analytics call is not counted; db is known as database
    assert score.found == {
        # the project is named after the repository's clone (tiny), as a new user has it
        ("web", "api", 8080): ("tiny/web", "tiny/api"),
        ("api", "database", 5432): ("tiny/api", "tiny/db"),
    }
    assert score.hits == {("web", "api", 8080), ("api", "database", 0)}
    assert score.false_edges == set()
    assert (round(score.recall, 3), score.precision) == (round(2 / 3, 3), 1.0)


def test_every_truth_file_reads() -> None:
    for truth in truths():
        assert truth.calls, truth.file
        for edge, evidence in truth.calls.items():
            assert evidence, f"{truth.file}: {edge} has no evidence"


def test_a_refused_deployment_is_reported_not_scored_silently(tmp_path: Path) -> None:
    app = tmp_path / "apps" / "us+tiny"
    app.mkdir(parents=True)
    (app / "docker-compose.yml").write_text(COMPOSE)
    truth_file = tmp_path / "tiny.toml"
    truth_file.write_text(TRUTH.replace('inputs = ["."]\n', 'inputs = ["."]\ndeployment = "k8s"\n'))
    truth = read_truth(truth_file)
    score = measure(truth, tmp_path / "apps", code=False, manifests=True, mode="manifests only")
    assert score.refused == "no deployment 'k8s'; the input has: docker-compose.yml (compose)"
    # the default choice (the compose file) is what was scored
    assert score.hits == {("web", "api", 8080), ("api", "database", 0)}
    assert report([score]).splitlines()[1] == (
        "   deployment refused, socklock's default scored: "
        "no deployment 'k8s'; the input has: docker-compose.yml (compose)"
    )
    assert "| manifests only (deployment refused: default scored) |" in markdown([score])


def test_canonical_tries_the_full_node_id_before_the_name() -> None:
    """Every Deployment named ``app``, each in its own namespace: the truth aliases
    ``namespace/name``, and only a node id the truth does not alias falls back to its name."""
    from benchmarks.accuracy import canonical

    aliases = {"authority/app": "authority", "catalog/app": "catalog", "db": "database"}
    assert canonical("authority/app", aliases) == "authority"
    assert canonical("catalog/app", aliases) == "catalog"
    assert canonical("other/app", aliases) == "app"
    assert canonical("shop/db", aliases) == "database"
    assert canonical("shop/api", aliases) == "api"


def test_canonical_matches_an_alias_spelled_as_the_source_names_the_project() -> None:
    """A truth aliases a .NET project as ``Services.Books``; socklock names the workload
    made from it ``services-books``. Names that only share a prefix stay apart."""
    from benchmarks.accuracy import canonical, labelled

    aliases = labelled({"book": "book", "Services.Books": "book", "Api_Gateway": "api"})
    assert canonical("code/services-books", aliases) == "book"
    assert canonical("code/api-gateway", aliases) == "api"
    assert canonical("code/services-books-worker", aliases) == "services-books-worker"
