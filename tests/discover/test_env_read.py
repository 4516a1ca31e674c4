"""Whether an env value handed to a workload is one of its calls: one decision
(:func:`socklock.discover.reads.env_read`) for a manifest's env and a shared ``.env``."""

from __future__ import annotations

from socklock.discover.reads import MANIFEST_ONLY, CodeReads, env_read


def _reads() -> CodeReads:
    reads = CodeReads()
    reads.add_code("api")
    reads.add_read("api", "orders.url")
    return reads


def test_a_variable_its_code_reads_is_a_call() -> None:
    assert env_read(_reads(), "api", "ORDERS_URL") == ""


def test_without_code_every_variable_is_a_manifest_only_call() -> None:
    assert env_read(_reads(), "worker", "ANYTHING_URL") == f" [{MANIFEST_ONLY}]"


def test_an_sdk_reads_its_variable_by_convention() -> None:
    note = env_read(_reads(), "api", "OTEL_EXPORTER_OTLP_ENDPOINT")
    assert note == " (read by OpenTelemetry OTLP exporter, by convention)"


def test_a_variable_nothing_reads_is_no_call() -> None:
    """Negatives: an unread peer's address, and a variable of an SDK that is only built in
    code (its code names it, not the env)."""
    assert env_read(_reads(), "api", "STOCK_URL") is None
    assert env_read(_reads(), "api", "DATABASE_URL") is None


def test_a_config_document_is_read_whole() -> None:
    document = "upstream:\n  url: http://stock:8080\n"
    note = env_read(_reads(), "api", "APP_CONFIG", {"APP_CONFIG": document})
    assert note == " (the workload's own config document: read whole)"
    assert env_read(_reads(), "api", "APP_CONFIG") is None  # without the env: not known
