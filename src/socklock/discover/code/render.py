"""From a static value to what we report: a resolved target, an unresolved call, or nothing.

The rules in one place: a hole after the address's authority (in the path or query)
does not matter for networking, so the target is kept up to the hole; a hole before it
makes the call unresolved, but only at a known call: elsewhere (a *seed*: a literal or
env read found anywhere) we cannot tell a call target from any other string, so only
what resolves to an address is reported, and loopback is the program talking to itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.discover.code.env_names import names_an_address
from socklock.discover.code.interface import CallKind
from socklock.discover.code.placeholders import spring_placeholders
from socklock.discover.code.targets import parse_target, redact
from socklock.discover.code.values import Env, Hole
from socklock.discover.names import service_name

if TYPE_CHECKING:
    from socklock.discover.code.values import Value

CONFIDENCE_CALL = 1.0  # the argument of a known client call
CONFIDENCE_WEAK_CALL = 0.8  # a call that is probably a client call
CONFIDENCE_URL = 0.9  # a URL literal anywhere
CONFIDENCE_HOST_PORT = 0.7  # a ``host:port`` literal anywhere
CONFIDENCE_ENV = 0.8  # an address-like env var read anywhere
PARTIAL_FACTOR = 0.9  # the path was cut at a run-time piece
# a ``localhost:<port>`` URL literal anywhere: the program itself, or, where the services run
# side by side on one host (no deployment), the one that listens on that port
CONFIDENCE_LOOPBACK = 0.5

_DOC_HOSTS = re.compile(
    r"(^|\.)(wikipedia\.org|github\.com|gitlab\.com|bitbucket\.org|stackoverflow\.com"
    r"|readthedocs\.io|readthedocs\.org)$"
)

_LOCAL_PORT = re.compile(r"^[a-z]+://(?:localhost|127\.0\.0\.1):[0-9]{2,5}(?:/|$)")


@dataclass(frozen=True, slots=True)
class Context:
    """Where the value was found, which decides how it is reported."""

    call: bool  # the target of a known call: report even what does not resolve
    weak: bool = False  # ...but a probable call only reports addresses
    grpc: bool = False
    kind: CallKind = CallKind.LITERAL  # for literal targets (CONFIG in config files)
    scheme: str | None = None  # for a bare host
    bare_host: bool = False
    service: str | None = None  # the value is a registry name (socklock.discover.names)
    guess: str | None = None  # the scheme of a written URL without one (curl's guess)


@dataclass(frozen=True, slots=True)
class Resolved:
    kind: CallKind
    target: str | None
    env_var: str | None
    env_default: str | None
    confidence: float
    service: str | None = None
    other_defaults: tuple[tuple[str, str], ...] = ()  # the other env vars' code defaults


@dataclass(frozen=True, slots=True)
class Unknown:
    reason: str


Outcome = Resolved | Unknown


def render(value: Value, context: Context) -> Outcome | None:
    """What to report for one alternative value of a target expression."""
    strict = context.call and not context.weak
    if context.service is not None:
        value = _placeholders(value)
    value = _fill_credentials(value)
    first_hole = next((i for i, part in enumerate(value) if isinstance(part, Hole)), None)
    factor = 1.0
    if first_hole is not None:
        prefix = value[:first_hole]
        hole_part = value[first_hole]
        assert isinstance(hole_part, Hole)
        if (
            not _path_started(_template(prefix))
            and not _path_started(_with_defaults(prefix))
            and not (strict and _whole_base(prefix))
        ):
            sidecar = _sidecar_call(value)
            if sidecar is not None:
                kind = CallKind.GRPC if context.grpc else context.kind
                return Resolved(kind, sidecar, None, None, CONFIDENCE_CALL * PARTIAL_FACTOR)
            return Unknown(hole_part.reason) if strict else None
        value, factor = prefix, PARTIAL_FACTOR
    template = _template(value)
    if context.scheme and template and "://" not in template:
        template = f"{context.scheme}://{template}"
    elif context.guess and template[:1] not in ("", "$", "/") and "://" not in template:
        template = f"{context.guess}://{template}"  # an env var's URL has its own scheme
    envs = [part for part in value if isinstance(part, Env)]
    if envs:
        return _env_read(envs, value, template, context, factor)
    address = parse_target(template, bare_host=context.bare_host or context.service is not None)
    if address is None:
        if strict:
            return Unknown(_not_an_address(template))
        return None
    if not context.call and address.loopback and address.scheme and _LOCAL_PORT.search(template):
        return Resolved(CallKind.LOOPBACK, address.text, None, None, CONFIDENCE_LOOPBACK)
    if not context.call and (address.loopback or _DOC_HOSTS.search(address.host.lower())):
        return None  # the program itself, or a link to documentation
    kind = CallKind.GRPC if context.grpc else context.kind
    if context.call:
        confidence = CONFIDENCE_WEAK_CALL if context.weak else CONFIDENCE_CALL
    else:
        confidence = CONFIDENCE_URL if address.scheme else CONFIDENCE_HOST_PORT
    return Resolved(kind, address.text, None, None, confidence * factor, context.service)


def _env_read(
    envs: list[Env], value: Value, template: str, context: Context, factor: float
) -> Resolved | None:
    first = envs[0]
    target: str | None = None
    address = None
    if len(value) > 1 or context.scheme:
        address = parse_target(template, bare_host=context.bare_host or context.service is not None)
        if address is not None:
            target = address.text
        elif template.startswith("${") or (
            context.scheme and template.startswith(f"{context.scheme}://${{")
        ):  # the env's value (a bare host takes the protocol's port: ``redis.host``)
            target = template
    if not context.call and address is None and not names_an_address(first.name, first.default):
        return None
    confidence = CONFIDENCE_CALL if context.call else CONFIDENCE_ENV
    confidence *= min(e.confidence for e in envs) * factor
    default = redact(first.default) if first.default is not None else None
    others = tuple(
        (e.name, redact(e.default))
        for e in envs[1:]
        if e.default is not None and e.name != first.name
    )
    return Resolved(
        CallKind.ENV_READ, target, first.name, default, confidence, context.service, others
    )


def _placeholders(value: Value) -> Value:
    """A service name written as a Spring placeholder (``@FeignClient(name =
    "${clients.orders:orders}")``) is an env read with a default."""
    parts: list[str | Env | Hole] = []
    for part in value:
        if not isinstance(part, str) or "${" not in part:
            parts.append(part)
            continue
        position = 0
        for found in spring_placeholders(part):
            parts.append(part[position : found.start])
            parts.append(Env(found.name, found.default or None, found.confidence))
            position = found.end
        parts.append(part[position:])
    return tuple(p for p in parts if p != "")


_SECRET_KEY = re.compile(r"(?i)(?:^|[;\s])(?:password|pwd|user ?id|uid|user ?name|user)\s*=\s*$")
_USERINFO_BEFORE = re.compile(r"(?:^|://)[^/@\s]*$")
_USERINFO_AFTER = re.compile(r"^[^/@\s]*@")


def _fill_credentials(value: Value) -> Value:
    """A value computed at run time where a credential goes (``password={pw}`` in a
    connection string, ``postgres://user:%s@db:5432``, ``root:%s@tcp(db:3306)/x``) says
    nothing of the address: it is filled with a stand-in instead of losing the address."""
    if not any(isinstance(part, Hole) for part in value):
        return value
    texts = ["" if not isinstance(part, str) else part for part in value]
    filled: list[str | Env | Hole] = []
    for index, part in enumerate(value):
        if isinstance(part, Hole):
            before = "".join(texts[:index])
            after = "".join(texts[index + 1 :])
            in_userinfo = _USERINFO_BEFORE.search(before) and _USERINFO_AFTER.match(after)
            if _SECRET_KEY.search(before) or in_userinfo:
                filled.append("secret")
                continue
        filled.append(part)
    return tuple(filled)


def _sidecar_call(value: Value) -> str | None:
    """A call through an agent whose address is set at run time: Dapr's sidecar
    (``http://localhost:${DAPR_HTTP_PORT}/v1.0/invoke/orders/method/x``) or a Consul agent
    (``consul://${consulAddr}/srv-geo``). The name in the path is the callee, so the
    unknown authority does not matter; a name that is itself unknown does."""
    text = "".join(part if isinstance(part, str) else "\0" for part in value)
    scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^/]*", text)
    if scheme is None:
        return None
    rest = text[scheme.end() :]
    if "\0" in rest:
        rest = rest[: rest.index("\0")]
        if not rest.endswith(("/", "?", "#", "&", "=")):
            return None
    address = scheme.group(0).split("://", 1)[0] + "://localhost" + rest
    named = service_name(address)
    return address if named is not None and named.registry in ("dapr", "consul") else None


def _template(value: Value) -> str:
    return "".join(
        part if isinstance(part, str) else f"${{{part.name}}}" if isinstance(part, Env) else ""
        for part in value
    )


def _with_defaults(value: Value) -> str:
    """The text with each env read replaced by its code default: ``f"{url}{id}"`` where
    ``url`` defaults to ``http://localhost:8002/api/casts/`` has its authority complete
    before the hole, whatever address the deployment puts in the variable."""
    return "".join(
        part if isinstance(part, str) else part.default or "\0" if isinstance(part, Env) else ""
        for part in value
    )


def _whole_base(prefix: Value) -> bool:
    """``fetch(process.env.API_URL + path)``: a call's address that starts with an env var
    and nothing else before the run-time piece; the variable holds the whole base address
    (``http://api``, ``http://api:8080/v1``), the piece is the path the call appends."""
    return len(prefix) == 1 and isinstance(prefix[0], Env)


def _path_started(prefix: str) -> bool:
    """Whether the authority (host and port) is complete in ``prefix``."""
    rest = prefix.split("://", 1)[1] if "://" in prefix else prefix
    return any(stop in rest for stop in "/?#")


def _not_an_address(template: str) -> str:
    if template.startswith(("/", "?", "#")) or not template:
        return f"relative URL `{template}`: the base address is set elsewhere"
    return f"`{template[:80]}` is not a network address"
