"""The conformance scenarios `make test` runs through the lab (the bench runs them all)."""

from __future__ import annotations

SMALL = (
    "02-deny-all-ingress-namespace",
    "05-podselector-alone-own-namespace",
    "07-and-peer",
    "08-or-peers",
    "17-port-udp",
    "22-named-port-differs-per-pod",
    "24-named-port-egress-differs-per-pod",
    "25-endport-range",
    "29-egress-only-explicit",
    "36-ipblock-v4-except-external",
    "41-replicas-are-distinct-pods",
)
