"""``socklock/audit/v1``: observed flows replayed against a candidate policy set
(``socklock audit --format json``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Literal["socklock/audit/v1"] = "socklock/audit/v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PolicyModel(_Model):
    policy: str = Field(description="namespace/name")
    file: str
    line: int


class DeciderModel(_Model):
    direction: Literal["egress", "ingress"]
    workload: str
    policies: list[PolicyModel] = Field(description="the policies that isolate this side")
    reason: str


class SeenModel(_Model):
    count: int
    first_seen: str | None
    last_seen: str | None
    file: str = Field(description="the first record's file")
    line: int
    verdicts: list[str] = Field(description="what the flow source said (FORWARDED, deny, ...)")


class DropModel(_Model):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    port: int = Field(description="destination container port")
    protocol: Literal["TCP", "UDP", "SCTP"]
    verdict: Literal["denied", "partial"]
    seen: SeenModel
    decided_by: list[DeciderModel]


class MissingModel(_Model):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    port: int
    protocol: Literal["TCP", "UDP", "SCTP"]
    seen: SeenModel


class UnmappedModel(_Model):
    side: Literal["source", "destination"]
    address: str = Field(description="the IP, or namespace/name for a flow that names pods")
    reason: str
    flows: int
    file: str
    line: int


class FileModel(_Model):
    file: str
    format: str | None
    records: int
    skipped: int = Field(description="lines with no flow: headers, replies, other messages")
    bad: int


class SummaryModel(_Model):
    records: int
    bad_lines: int
    flows: int = Field(description="distinct (from, to, port, protocol) judged by the engine")
    dropped: int
    missing: int | None = Field(description="null when no graph was compared")
    unmapped: int
    not_judged: dict[str, int] = Field(description="reason -> records left out")


class AuditDocument(_Model):
    schema_: Literal["socklock/audit/v1"] = Field(default=SCHEMA, alias="schema")
    files: list[FileModel]
    dropped: list[DropModel]
    missing: list[MissingModel]
    unmapped: list[UnmappedModel]
    warnings: list[str]
    summary: SummaryModel


DOCUMENT = AuditDocument
