"""``socklock/connectivity/v1``: what ``socklock policy verify`` reports.

``connections`` lists the allowed (and partly allowed) connections, or every row with
``--all``; a row is (from, to, the target's container port, protocol), with ``end_port`` when
it stands for a range of ports. With ``--summary`` a (target, port) that every workload
reaches is one row from ``*``, listed first. ``missing`` and ``excess`` compare with an
intent graph.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from socklock.schemas import CONNECTIVITY

SCHEMA: Final = CONNECTIVITY

ProtocolName = Literal["TCP", "UDP", "SCTP"]
VerdictName = Literal["allowed", "partial", "denied"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ConnectionModel(_Model):
    source: str = Field(
        alias="from",
        description='workload ns/name, external:<cidr|host>, or "*" (--summary: every workload)',
    )
    target: str = Field(alias="to")
    port: int = Field(ge=1, le=65535, description="the target's container port")
    end_port: int | None = Field(
        default=None, ge=1, le=65535, description="set when the row is the range port..end_port"
    )
    protocol: ProtocolName
    allowed: bool = Field(description="every pod (every address) of from reaches every pod of to")
    verdict: VerdictName = Field(description="partial: some pods or addresses only")


class MissingModel(_Model):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    port: int = Field(ge=1, le=65535)
    protocol: ProtocolName
    verdict: VerdictName
    needed_by: Literal["edge", "entry point"]


class UnprotectedModel(_Model):
    workload: str
    kind: str
    ingress_isolated: bool
    egress_isolated: bool
    rule_id: str
    severity: Literal["info", "low", "medium", "high", "critical"]
    message: str
    file: str
    line: int


class SummaryModel(_Model):
    workloads: int
    externals: int
    policies: int
    rows: int = Field(description="rows considered (allowed, partial and denied)")
    allowed: int
    partial: int
    denied: int
    unprotected: int
    missing: int | None = Field(description="null without --intent")
    excess: int | None
    skipped_intent: list[str] = []


class ConnectivityDocument(_Model):
    schema_: Literal["socklock/connectivity/v1"] = Field(default=SCHEMA, alias="schema")
    connections: list[ConnectionModel]
    summary: SummaryModel
    unprotected: list[UnprotectedModel]
    missing: list[MissingModel] = []
    excess: list[ConnectionModel] = []


DOCUMENT = ConnectivityDocument
