"""SLK409 on ports written with ``${VAR}``: checked as compose reads them (the ``.env`` and
the defaults), fixed on the text as written (variables kept), and no fix where a variable
decides the host address."""

from __future__ import annotations

from pathlib import Path

from socklock.harden import HardenOptions, audit, fix_paths
from socklock.harden.written import masked, scalar_at
from socklock.load import load_paths

COMPOSE = """\
services:
  web:
    image: web:1.0
    ports:
      - "${PORT:-8080}:80"
      - "${BIND:-0.0.0.0}:8081:81"
      - "${UNSET}:82"
      - "${HOSTIP}:8083:83"
      - "${SAFE:-127.0.0.1}:8084:84"
      - target: 85
        published: "${P5:-8085}"
      - target: 86
        published: 8086
        host_ip: "${IP6}"
      - 0.0.0.0:${P7}:87
"""

FIXED = """\
services:
  web:
    image: web:1.0
    ports:
      - "127.0.0.1:${PORT:-8080}:80"
      - "${BIND:-0.0.0.0}:8081:81"
      - "127.0.0.1:${UNSET}:82"
      - "${HOSTIP}:8083:83"
      - "${SAFE:-127.0.0.1}:8084:84"
      - target: 85
        published: "${P5:-8085}"
        host_ip: 127.0.0.1
      - target: 86
        published: 8086
        host_ip: "${IP6}"
      - "127.0.0.1:${P7}:87"
"""

OPTIONS = HardenOptions(select=frozenset({"SLK409"}))


def project(tmp_path: Path) -> Path:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    (tmp_path / ".env").write_text("HOSTIP=0.0.0.0\nP7=8087\n", encoding="utf-8")
    return tmp_path


def test_findings_read_the_variables_and_say_which_decides(tmp_path: Path) -> None:
    result = audit(load_paths([str(project(tmp_path))]), OPTIONS)
    rows = [(f.location.line, f.message, f.fix is not None) for f in result.findings]
    web = "service 'web' publishes"
    assert rows == [
        (5, f"{web} 8080:80 on every host interface", True),
        (
            6,
            f"{web} 0.0.0.0:8081:81 on every host interface (its host address is "
            "${BIND:-0.0.0.0}: set that to 127.0.0.1 where it is defined)",
            False,
        ),
        (
            7,
            f"{web} :82 on every host interface (its host port ${{UNSET}} is unset or empty here)",
            True,
        ),
        (
            8,
            f"{web} 0.0.0.0:8083:83 on every host interface (its host address is ${{HOSTIP}}: "
            "set that to 127.0.0.1 where it is defined)",
            False,
        ),
        (10, f"{web} 8085:85 on every host interface", True),
        (
            12,
            f"{web} 8086:86 on every host interface (its host_ip is ${{IP6}}: set that to "
            "127.0.0.1 where it is defined)",
            False,
        ),
        (15, f"{web} 0.0.0.0:8087:87 on every host interface", True),
    ]


def test_fix_keeps_the_variables_and_settles(tmp_path: Path) -> None:
    directory = project(tmp_path)
    run = fix_paths([str(directory)], OPTIONS, unsafe=True)
    assert (directory / "compose.yaml").read_text(encoding="utf-8") == FIXED
    assert [f.line for f in (g.location for g in run.after.findings)] == [6, 8, 13]
    again = fix_paths([str(directory)], OPTIONS, unsafe=True)
    assert again.changes == ()


def test_a_variable_whose_value_adds_an_address_gets_no_fix(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        'services:\n  web:\n    image: web:1.0\n    ports:\n      - "${PORT}:80"\n',
        encoding="utf-8",
    )
    (tmp_path / ".env").write_text("PORT=0.0.0.0:8080\n", encoding="utf-8")
    result = audit(load_paths([str(tmp_path)]), OPTIONS)
    assert [(f.message, f.fix) for f in result.findings] == [
        (
            "service 'web' publishes 0.0.0.0:8080:80 on every host interface (the variables "
            "of ${PORT}:80 change its layout: bind it by hand)",
            None,
        )
    ]


def test_scalar_at_and_masked() -> None:
    text = 'a:\n  - "${A:-1}:2"  # c\n  - ${B}:3\nb: [\'x\', "${C}:4"]\n'.splitlines()
    assert scalar_at(text, 2, 5) == "${A:-1}:2"
    assert scalar_at(text, 3, 5) == "${B}:3"
    assert scalar_at(text, 4, 10) == "${C}:4"
    assert scalar_at(text, 9, 1) is None
    assert masked("${A:-${B}}:$C:1") == "VVVVVVVVVV:VV:1"
    assert masked("$$A:${B") is None
