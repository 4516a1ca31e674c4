"""Sets of IP addresses (IPv4 and IPv6 apart) as canonical interval sets, and external endpoints.

An *external endpoint* is named ``external:<cidr>``, ``external:<address>`` or
``external:<host>``. A host name is taken to be an unknown IPv4 address, i.e. the whole IPv4
space (name an address or a CIDR to check anything narrower, or an IPv6 one).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from socklock.model import EXTERNAL_PREFIX
from socklock.policy.intervals import EMPTY, IntervalSet

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
V4_MAX = (1 << 32) - 1
V6_MAX = (1 << 128) - 1


@dataclass(frozen=True, slots=True)
class AddressSet:
    v4: IntervalSet = EMPTY
    v6: IntervalSet = EMPTY

    @classmethod
    def network(cls, net: Network) -> AddressSet:
        span = IntervalSet.span(int(net.network_address), int(net.broadcast_address))
        return cls(v4=span) if net.version == 4 else cls(v6=span)

    @classmethod
    def addresses(cls, texts: Iterable[str]) -> AddressSet:
        v4: list[tuple[int, int]] = []
        v6: list[tuple[int, int]] = []
        for text in texts:
            try:  # the C parser first: a dumped cluster gives thousands of pod IPs
                number = int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
            except (OSError, TypeError, ValueError):
                address = ipaddress.ip_address(text)  # IPv6, or the error of a bad one
                (v4 if address.version == 4 else v6).append((int(address), int(address)))
                continue
            v4.append((number, number))
        return cls(IntervalSet.of(v4), IntervalSet.of(v6))

    @classmethod
    def union(cls, sets: Iterable[AddressSet]) -> AddressSet:
        """The union of many sets, normalised once (not pair by pair)."""
        v4: list[tuple[int, int]] = []
        v6: list[tuple[int, int]] = []
        for found in sets:
            v4.extend(found.v4.ranges)
            v6.extend(found.v6.ranges)
        return cls(IntervalSet.of(v4), IntervalSet.of(v6))

    def __or__(self, other: AddressSet) -> AddressSet:
        return AddressSet(self.v4 | other.v4, self.v6 | other.v6)

    def __and__(self, other: AddressSet) -> AddressSet:
        return AddressSet(self.v4 & other.v4, self.v6 & other.v6)

    def __sub__(self, other: AddressSet) -> AddressSet:
        return AddressSet(self.v4 - other.v4, self.v6 - other.v6)

    def __bool__(self) -> bool:
        return bool(self.v4) or bool(self.v6)

    def issubset(self, other: AddressSet) -> bool:
        return not (self - other)

    def cidrs(self) -> list[str]:
        """The smallest list of CIDRs that covers exactly this set."""
        out: list[str] = []
        for ranges, cls4 in ((self.v4, True), (self.v6, False)):
            for low, high in ranges:
                first: ipaddress.IPv4Address | ipaddress.IPv6Address
                last: ipaddress.IPv4Address | ipaddress.IPv6Address
                if cls4:
                    first, last = ipaddress.IPv4Address(low), ipaddress.IPv4Address(high)
                else:
                    first, last = ipaddress.IPv6Address(low), ipaddress.IPv6Address(high)
                out.extend(str(n) for n in ipaddress.summarize_address_range(first, last))
        return out


NO_ADDRESSES = AddressSet()
IPV4_WORLD = AddressSet(v4=IntervalSet.span(0, V4_MAX))
IPV6_WORLD = AddressSet(v6=IntervalSet.span(0, V6_MAX))
ALL_ADDRESSES = IPV4_WORLD | IPV6_WORLD


def is_external(endpoint: str) -> bool:
    return endpoint.startswith(EXTERNAL_PREFIX)


def external_addresses(endpoint: str) -> AddressSet:
    """The addresses an ``external:...`` endpoint stands for (a host name: all of IPv4)."""
    text = endpoint.removeprefix(EXTERNAL_PREFIX)
    try:
        if "/" in text:
            return AddressSet.network(ipaddress.ip_network(text, strict=False))
        return AddressSet.addresses([text])
    except ValueError:
        return IPV4_WORLD


def external_id(net: Network) -> str:
    return f"{EXTERNAL_PREFIX}{net}"
