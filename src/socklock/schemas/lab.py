"""``socklock/lab/v1``: what real packets did, next to what the engine said (``lab probe``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Literal["socklock/lab/v1"] = "socklock/lab/v1"

Verdict = Literal["allowed", "partial", "denied"]
ProtocolName = Literal["TCP", "UDP", "SCTP"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class LabSummary(_Model):
    rows: int = Field(description="(source, target, port, protocol) rows compared")
    differences: int = Field(description="rows where the kernel and the engine disagree")
    skipped: int
    connections: int = Field(description="connection attempts made between namespaces")
    seconds: float = Field(description="time spent probing")


class LabRow(_Model):
    source: str
    target: str
    port: int
    protocol: ProtocolName
    engine: Verdict
    kernel: Verdict
    detail: str = Field(description="the kernel's verdict per address family")
    attempts: list[str] = Field(default=[], description="pod pairs denied, for a disagreement")


class LabSkipped(_Model):
    source: str
    target: str
    port: int
    protocol: ProtocolName
    reason: str


class LabDocument(_Model):
    schema_: Literal["socklock/lab/v1"] = Field(default=SCHEMA, alias="schema")
    run: str
    ok: bool = Field(description="true when the kernel agrees with the engine on every row")
    summary: LabSummary
    rows: list[LabRow] = Field(description="the differences (every row with --all)")
    skipped: list[LabSkipped] = []


DOCUMENT = LabDocument
