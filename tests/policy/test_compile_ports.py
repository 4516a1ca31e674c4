"""A rule's ports are compiled once per distinct list: rules listing the same ports share it."""

from __future__ import annotations

from socklock.model import Location, Protocol
from socklock.policy.api import PolicyPort
from socklock.policy.compile import compile_ports


def _port(protocol: Protocol, port: int | str | None, end: int | None, line: int) -> PolicyPort:
    return PolicyPort(protocol, port, end, Location("p.yaml", line, 1))


def test_the_same_ports_at_other_places_share_one_compiled_list() -> None:
    first = compile_ports((_port(Protocol.TCP, 8080, None, 1), _port(Protocol.UDP, 53, 60, 2)))
    again = compile_ports((_port(Protocol.TCP, 8080, None, 7), _port(Protocol.UDP, 53, 60, 8)))
    assert again is first
    assert first.matches(None, 8080, Protocol.TCP) and first.matches(None, 55, Protocol.UDP)
    assert not first.matches(None, 8081, Protocol.TCP) and not first.matches(None, 61, Protocol.UDP)


def test_other_ports_or_protocols_are_compiled_apart() -> None:
    tcp = compile_ports((_port(Protocol.TCP, 80, None, 1),))
    assert compile_ports((_port(Protocol.UDP, 80, None, 1),)) is not tcp
    assert compile_ports((_port(Protocol.TCP, 80, 81, 1),)).matches(None, 81, Protocol.TCP)
    assert not tcp.matches(None, 81, Protocol.TCP)
    named = compile_ports((_port(Protocol.TCP, "http", None, 1),))
    assert named.named == frozenset({("http", Protocol.TCP)}) and not named.every
    assert compile_ports(()).every
    assert compile_ports((_port(Protocol.TCP, None, None, 1),)).matches(None, 1, Protocol.TCP)
