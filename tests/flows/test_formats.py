"""Each format's parser on samples written from its documentation (see samples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.flows import samples

from socklock.flows.read import read_flows

T0 = samples.T0
FRONT, CATALOGUE, ORDERS, SVC = "10.0.1.5", "10.0.2.7", "10.0.3.9", "10.96.0.20"


def _read(tmp_path: Path, text: str, flow_format: str | None = None):  # type: ignore[no-untyped-def]
    path = tmp_path / "flows.log"
    path.write_text(text + "\n", encoding="utf-8")
    read = read_flows([str(path)], flow_format)
    rows = {
        key: (o.count, o.first, o.last, o.line, sorted(o.verdicts))
        for key, o in read.observations.items()
    }
    warnings = [str(w).replace(str(path), "F") for w in read.warnings]
    return read, rows, warnings


def _key(src: str, dst: str, port: int | None, protocol: str = "TCP"):  # type: ignore[no-untyped-def]
    return (src, dst, None, None, port, protocol)


def test_hubble(tmp_path: Path) -> None:
    read, rows, warnings = _read(tmp_path, samples.HUBBLE)
    assert [(f.format, f.records, f.skipped, f.bad) for f in read.files] == [("hubble", 6, 2, 1)]
    fwd = ["FORWARDED"]
    assert rows == {
        _key(FRONT, CATALOGUE, 8080): (2, T0 + 1.123456789, T0 + 5.123456789, 1, fwd),
        _key(FRONT, SVC, 80): (1, T0 + 2.123456789, T0 + 2.123456789, 4, fwd),
        _key(FRONT, ORDERS, 80): (1, T0 + 3.123456789, T0 + 3.123456789, 5, fwd),
        _key(ORDERS, "1.1.1.1", 443): (1, T0 + 4.123456789, T0 + 4.123456789, 7, fwd),
        _key("10.0.9.9", CATALOGUE, 8080): (1, T0 + 6.123456789, T0 + 6.123456789, 8, fwd),
    }
    assert warnings == ["F:6: warning: hubble: not JSON: EOF while parsing an object"]


def test_calico_flow_log_file(tmp_path: Path) -> None:
    read, rows, warnings = _read(tmp_path, samples.CALICO)
    assert [(f.format, f.records, f.bad) for f in read.files] == [("calico", 5, 1)]
    assert rows == {
        _key(FRONT, CATALOGUE, 8080): (2, T0 + 1, T0 + 11, 1, ["allow"]),
        _key(FRONT, SVC, 80): (1, T0 + 2, T0 + 12, 2, ["allow"]),
        _key(FRONT, ORDERS, 80): (1, T0 + 3, T0 + 13, 3, ["allow"]),
        _key(ORDERS, "1.1.1.1", 443): (1, T0 + 4, T0 + 14, 5, ["allow"]),
        _key("10.0.9.9", CATALOGUE, 8080): (1, T0 + 6, T0 + 16, 6, ["deny"]),
    }
    assert warnings == ["F:4: warning: calico: dest_port 'eighty' is not a port number"]


def test_goldmane_and_whisker_name_pods(tmp_path: Path) -> None:
    _, rows, warnings = _read(tmp_path, samples.GOLDMANE)
    assert rows == {
        (None, None, ("shop", "front-end-7d9c8b-*"), ("shop", "orders-6c7d8e-*"), 80, "TCP"): (
            4,
            T0 + 3,
            T0 + 15,
            1,
            ["Allow"],
        ),
        (None, None, ("shop", "front-end-7d9c8b-*"), ("shop", "catalogue-5f6b7c-*"), 8080, "TCP"): (
            1,
            T0 + 1,
            T0 + 30,
            2,
            ["Allow"],
        ),
    }
    assert warnings == ["F:3: warning: calico: a side has neither IP nor namespace and name"]


def test_kernel_log(tmp_path: Path) -> None:
    read, rows, warnings = _read(tmp_path, samples.KERNEL)
    # the first line is another kernel message: skipped, not bad
    assert [(f.format, f.records, f.skipped, f.bad) for f in read.files] == [
        ("kernel-log", 6, 1, 1)
    ]
    packet = ["calico-packet"]
    assert rows == {
        _key(FRONT, CATALOGUE, 8080): (1, T0 + 1, T0 + 1, 2, packet),
        _key(FRONT, SVC, 80): (1, T0 + 2, T0 + 2, 3, packet),
        _key(FRONT, ORDERS, 80): (1, T0 + 3, T0 + 3, 4, packet),
        _key(ORDERS, "1.1.1.1", 443): (1, T0 + 4, T0 + 4, 6, packet),
        _key("10.0.9.9", CATALOGUE, 8080): (1, T0 + 6, T0 + 6, 7, packet),
        _key(FRONT, CATALOGUE, None, "ICMP"): (1, T0 + 7, T0 + 7, 8, ["calico-drop"]),
    }
    assert warnings == ["F:5: warning: kernel-log: SRC=, DST= and PROTO= are required"]


def test_syslog_time_without_year_is_unknown(tmp_path: Path) -> None:
    line = (
        "Jan 10 10:00:01 node-1 kernel: [12.5] socklock-shop-front-end: IN=veth0 OUT= "
        "SRC=10.0.1.5 DST=10.0.2.7 LEN=60 PROTO=UDP SPT=5353 DPT=53"
    )
    _, rows, warnings = _read(tmp_path, line)
    assert rows == {
        _key(FRONT, CATALOGUE, 53, "UDP"): (1, None, None, 1, ["socklock-shop-front-end"])
    }
    assert warnings == []


def test_vpc_default_format(tmp_path: Path) -> None:
    read, rows, warnings = _read(tmp_path, samples.VPC)
    # the header and the NODATA record carry no flow
    assert [(f.format, f.records, f.skipped, f.bad) for f in read.files] == [("vpc", 5, 2, 1)]
    assert rows == {
        _key(FRONT, CATALOGUE, 8080): (1, T0 + 1, T0 + 61, 2, ["ACCEPT"]),
        _key(FRONT, SVC, 80): (1, T0 + 2, T0 + 62, 3, ["ACCEPT"]),
        _key(FRONT, ORDERS, 80): (1, T0 + 3, T0 + 63, 4, ["ACCEPT"]),
        _key(ORDERS, "1.1.1.1", 443): (1, T0 + 4, T0 + 64, 6, ["ACCEPT"]),
        _key("10.0.9.9", CATALOGUE, 8080): (1, T0 + 6, T0 + 66, 7, ["REJECT"]),
    }
    assert warnings == ["F:5: warning: vpc: 6 fields, the format has 14"]


def test_vpc_without_header_and_custom_order(tmp_path: Path) -> None:
    plain = samples.VPC.split("\n", 1)[1].split("\n")[0]
    _, rows, _ = _read(tmp_path, plain)
    assert list(rows) == [_key(FRONT, CATALOGUE, 8080)]
    custom = "srcaddr dstaddr dstport protocol action\n10.0.1.5 10.0.3.9 5432 6 REJECT"
    _, rows, _ = _read(tmp_path, custom)
    assert rows == {_key(FRONT, ORDERS, 5432): (1, None, None, 2, ["REJECT"])}


def test_format_override_reads_every_line_as_that_format(tmp_path: Path) -> None:
    _, rows, warnings = _read(tmp_path, samples.KERNEL.split("\n")[1], flow_format="vpc")
    assert rows == {}
    assert warnings == ["F:1: warning: vpc: 23 fields, the format has 14"]


def test_unknown_format_is_an_error_not_a_crash(tmp_path: Path) -> None:
    read, rows, _ = _read(tmp_path, "hello\nworld")
    assert rows == {}
    assert [str(e).replace(str(tmp_path / "flows.log"), "F") for e in read.errors] == [
        "F: warning: not a flow format socklock reads (hubble, calico, kernel-log, vpc, lab); "
        "name it with --flow-format"
    ]


def test_long_line_is_skipped_in_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socklock.flows.read as module

    monkeypatch.setattr(module, "MAX_LINE", 64)
    text = "srcaddr dstaddr dstport protocol\n10.0.1.5 10.0.3.9 80 6\n"
    text += "x" * 500 + "\n10.0.1.5 10.0.2.7 8080 6"
    _, rows, warnings = _read(tmp_path, text)
    assert warnings == ["F:3: warning: line longer than 64 bytes, skipped"]
    assert rows == {
        _key(FRONT, ORDERS, 80): (1, None, None, 2, []),
        _key(FRONT, CATALOGUE, 8080): (1, None, None, 4, []),
    }


def test_many_bad_lines_are_counted_and_the_first_shown(tmp_path: Path) -> None:
    text = "\n".join([samples.VPC.split("\n")[1], *["2 bad"] * 25])
    read, _, warnings = _read(tmp_path, text)
    assert read.files[0].bad == 25
    assert warnings[0] == "F:2: warning: vpc: 2 fields, the format has 14"
    assert warnings[19] == "F:21: warning: vpc: 2 fields, the format has 14"
    assert warnings[20:] == ["F: warning: 5 more bad lines not shown"]


@pytest.mark.parametrize("name", ["VPC", "HUBBLE", "KERNEL"])
def test_parallel_reading_equals_one_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    import socklock.flows.read as module

    header, *body = getattr(samples, name).split("\n")
    text = "\n".join([header, *body * 40]) + "\n"
    path = tmp_path / "flows.log"
    path.write_text(text, encoding="utf-8")
    one = read_flows([str(path)], workers=1)
    monkeypatch.setattr(module, "CHUNK", 512)  # several blocks, ranges that cut records
    monkeypatch.setattr(module, "PARALLEL_BYTES", 1)
    several = read_flows([str(path)], workers=3)
    assert several.files == one.files
    assert several.warnings == one.warnings
    assert {
        k: (o.count, o.first, o.last, o.line, o.verdicts) for k, o in several.observations.items()
    } == {k: (o.count, o.first, o.last, o.line, o.verdicts) for k, o in one.observations.items()}
    assert len(one.warnings) == 21  # 40 bad lines: the first 20, then the count


def test_cli_choices_are_the_registered_formats() -> None:
    from socklock._cli.flows import FORMAT_NAMES
    from socklock.flows.formats import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES


def test_bytes_that_are_not_utf8_make_a_bad_line_not_a_crash(tmp_path: Path) -> None:
    good = samples.HUBBLE.split("\n")[0].encode()
    bad = good.replace(b'"node-1"', b'"node-\xff"', 1)
    path = tmp_path / "flows.log"
    path.write_bytes(good + b"\n" + bad + b"\n")
    read = read_flows([str(path)])
    assert [(f.records, f.bad) for f in read.files] == [(1, 1)]
    column = good.index(b'"node-1"') + len(b'"node-') + 1  # the 0xff byte, 1-based
    assert [str(w).replace(str(path), "F") for w in read.warnings] == [
        f"F:2: warning: hubble: bytes that are not UTF-8 at column {column}"
    ]
    vpc = samples.VPC.split("\n")[1].encode()
    path.write_bytes(vpc + b"\n" + vpc.replace(b"10.0.1.5", b"10.0.1.\xfe") + b"\n")
    read = read_flows([str(path)])
    assert [(f.records, f.bad) for f in read.files] == [(1, 1)]
    assert [str(w).replace(str(path), "F") for w in read.warnings] == [
        f"F:2: warning: vpc: bytes that are not UTF-8 at column {vpc.index(b'10.0.1.5') + 8}"
    ]
