"""Every fixture file reports exactly what its expectation comments say, nothing more."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest
from tests.discover.code.expectations import mismatches, parse_comments, parse_sidecar

from socklock.discover.code.registry import analyser_for

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(
    p
    for p in FIXTURES.rglob("*")
    if p.is_file() and p.suffix != ".expect" and "scan" not in p.parts
)


def test_there_are_fixtures() -> None:
    assert len(FILES) >= 7


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    relative = str(path.relative_to(FIXTURES))
    analyser = analyser_for(PurePath(relative))
    assert analyser is not None, f"no analyser reads {relative}"
    source = path.read_bytes()
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        expectations = parse_sidecar(sidecar.read_text(encoding="utf-8"))
    else:
        expectations = parse_comments(source.decode("utf-8"))
    assert expectations, f"{relative} states no expectations"
    results = list(analyser.analyse(relative, source))
    problems = mismatches(expectations, results)
    assert not problems, "\n".join([relative, *problems])
