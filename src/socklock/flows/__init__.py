"""Observed flows: read them (one plug-in per format, :mod:`.formats`), map their addresses
to workloads (:mod:`.addresses`), replay them against a candidate policy set and the service
graph (:mod:`.audit`), or add them to the graph as evidence (:mod:`.graph`)."""

from __future__ import annotations

from socklock.flows.formats import FORMATS
from socklock.flows.read import FlowRead, read_flows
from socklock.flows.record import FlowRecord, LineWarning

__all__ = ["FORMATS", "FlowRead", "FlowRecord", "LineWarning", "read_flows"]
