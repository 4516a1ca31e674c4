"""``socklock/explain/v1``: why one connection is allowed or denied (``policy explain``).

Each side is one direction the connection needs: the source's egress and the target's
ingress (null for a side outside the cluster), with the policies that select the workload
and the rules that admit the connection (file:line), or the near misses.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Final = "socklock/explain/v1"

ProtocolName = Literal["TCP", "UDP", "SCTP"]
VerdictName = Literal["allowed", "partial", "denied"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PolicyRefModel(_Model):
    policy: str = Field(description="namespace/name")
    file: str
    line: int


class RuleRefModel(_Model):
    policy: str
    rule: str = Field(description="where in the policy, e.g. spec.ingress[0]")
    file: str
    line: int
    peers: str = Field(description="what the rule admits, in words")
    ports: str


class SideModel(_Model):
    direction: Literal["ingress", "egress"]
    workload: str
    isolated: bool
    allowed: bool
    reason: str
    selecting: list[PolicyRefModel]
    admitting: list[RuleRefModel]
    near_misses: list[str] = Field(
        description="rules that match the peer but not the port, or the reverse"
    )


class ExplainDocument(_Model):
    schema_: Literal["socklock/explain/v1"] = Field(default=SCHEMA, alias="schema")
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    port: int = Field(ge=1, le=65535)
    protocol: ProtocolName
    verdict: VerdictName
    note: str = ""
    egress: SideModel | None = Field(description="the source's egress; null outside the cluster")
    ingress: SideModel | None = Field(description="the target's ingress; null outside the cluster")


DOCUMENT = ExplainDocument
