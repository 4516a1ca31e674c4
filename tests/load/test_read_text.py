"""Reading an input file as text: the whole file up to the size limit, whatever size the
file reports (``/proc`` reports none), and a refusal past the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.load.limits import Limits
from socklock.load.text import TextFile, read_text
from socklock.model import Diagnostic


def test_a_file_at_and_past_the_limit(tmp_path: Path) -> None:
    limits = Limits(max_file_bytes=10)
    (tmp_path / "ten.yaml").write_text("a: 123456\n")
    (tmp_path / "eleven.yaml").write_text("a: 1234567\n")
    assert read_text(tmp_path / "ten.yaml", "ten.yaml", limits) == TextFile(
        "ten.yaml", "a: 123456\n"
    )
    refused = read_text(tmp_path / "eleven.yaml", "eleven.yaml", limits)
    assert isinstance(refused, Diagnostic)
    assert str(refused) == (
        "eleven.yaml: error: file is 0.0 MiB, over the 0 MiB limit for one input file; split it"
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_a_file_that_reports_no_size_is_read_whole_up_to_the_limit() -> None:
    proc = Path("/proc/self/status")
    assert proc.stat().st_size == 0
    read = read_text(proc, "status", Limits())
    assert isinstance(read, TextFile)
    assert read.text.startswith("Name:\t") and read.text.endswith("\n")
    assert len(read.text) > 100
    refused = read_text(proc, "status", Limits(max_file_bytes=100))
    assert str(refused) == (
        "status: error: input is over the 0 MiB limit for one input file; split it"
    )
