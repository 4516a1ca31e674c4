"""``socklock/diff/v1``: the semantic difference of two policy sets (``policy diff``).

Over the workloads of both inputs, every (from, to, port range, protocol) whose verdict
changed: ``opened`` where more is allowed than before, ``closed`` where less is.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Final = "socklock/diff/v1"

ProtocolName = Literal["TCP", "UDP", "SCTP"]
VerdictName = Literal["allowed", "partial", "denied"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ChangeModel(_Model):
    source: str = Field(alias="from", description="workload ns/name or external:<cidr|host>")
    target: str = Field(alias="to")
    port: int = Field(ge=1, le=65535)
    end_port: int = Field(ge=1, le=65535, description="the last port of the range (= port: one)")
    protocol: ProtocolName
    before: VerdictName
    after: VerdictName


class DiffDocument(_Model):
    schema_: Literal["socklock/diff/v1"] = Field(default=SCHEMA, alias="schema")
    equivalent: bool
    workloads: int
    old_policies: int
    new_policies: int
    opened: list[ChangeModel]
    closed: list[ChangeModel]


DOCUMENT = DiffDocument
