"""Application config files: Spring ``application.properties``/``.yml``, ``.env``, JSON (with
its relaxed kin JSON5 and Hjson), YAML and TOML config, node-config's ``config/*.json``.

Which files count is decided by name, not by trying every YAML and JSON file: a
Kubernetes manifest, a CI workflow or a ``package.json`` is not the application's
config. A value is reported when it is an address, or holds ``${VAR:default}``
placeholders under an address-like key; ``x.host`` with a sibling ``x.port`` makes one
``host:port`` target (``spring.rabbitmq.host`` + ``.port`` → ``amqp://rabbitmq:5672``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from socklock.discover.code.config_readers import (
    ITEM,
    dotted_key,
    read_dotenv,
    read_hocon,
    read_ini,
    read_json,
    read_properties,
    read_toml,
    read_yaml,
)
from socklock.discover.code.hocon_includes import beside_application, loaded
from socklock.discover.code.interface import CallKind, CallSite, Declaration, UnresolvedCall
from socklock.discover.code.mp_messaging import (
    channel_addresses,
    host_port,
    without_dev_services,
)
from socklock.discover.code.placeholders import config_placeholders
from socklock.discover.code.render import Context, Resolved, render
from socklock.discover.code.values import Env

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import PurePath

    from socklock.discover.code.config_readers import Entry
    from socklock.discover.code.interface import Result
    from socklock.discover.code.values import Part

_CONFIG_DIRS = frozenset({"config", "configs", "conf", "settings"})
_CONFIG_REPO_SUFFIXES = ("-config", "-configs", "config-repo")
# a Spring Cloud Config repository folder: configuration-repo, config-repository
_CONFIG_REPO = re.compile(r"^config(?:uration)?s?[-_]repo(?:sitory)?$", re.IGNORECASE)
_CONFIG_STEMS = re.compile(
    r"^(application|bootstrap|appsettings|config|settings|ocelot)([-._].*)?$|^.+[-_]config$", re.I
)
_ENV_NAMES = "custom-environment-variables"  # node-config: values are env var names
_OWN_SERVER = re.compile(
    r"^(micronaut\.)?(server|management\.server)\.(port|address|host)$"
    r"|(^|[._])(listen|bind)([._]|$)"
    r"|^urls$|^kestrel\.|^aspnetcore_urls$|^port$|^spring\.application\.name$",
    re.IGNORECASE,
)
_NOT_TARGET = re.compile(
    r"(^|\.)(\$schema|\$id|xmlns|homepage|repository|license|bugs|docs|documentation)$"
    # MicroProfile JWT's expected ``iss`` claim: a name the token carries, never dialled
    # (the key is fetched from ``mp.jwt.verify.publickey.location``); the OpenAPI document's
    # contact, license and server URLs (MicroProfile OpenAPI, Quarkus's SmallRye OpenAPI)
    r"|^mp\.jwt\.verify\.issuer$|^(mp\.openapi|quarkus\.smallrye-openapi)\.",
    re.IGNORECASE,
)
_ADDRESS_KEY = re.compile(
    r"(url|uri|host|hostname|addr|address|endpoint|server|servers|broker|brokers|bootstrap|dsn"
    r"|connection|target|upstream|zone|nodes"
    # ZooKeeper's (Curator's) connect string: ``spring.cloud.zookeeper.connect-string``
    r"|connect[-_]?string)[^.]*$",
    re.IGNORECASE,
)
_SCHEME_HINTS = (
    ("rabbit", "amqp"),
    ("amqp", "amqp"),
    ("mongo", "mongodb"),
    ("redis", "redis"),
    ("postgres", "postgresql"),
    ("mysql", "mysql"),
    ("nats", "nats"),
)


class ConfigFileAnalyser:
    """Reads config files by format; reports their addresses as ``config`` call sites."""

    name = "config"

    def handles(self, path: PurePath) -> bool:
        return _reader_for(_copied_as(path)) is not None

    def analyse(self, path: str, source: bytes, seen_as: str = "") -> list[Result]:
        """``seen_as``: the name the program reads the file by (a mount's), if not its own."""
        from pathlib import Path, PurePath

        if not seen_as and _copied_as(PurePath(path)) != PurePath(path):
            copy = _copied_as(PurePath(path))
            if Path(copy).exists():
                return []  # the real file is committed beside its template: it is read
            seen_as = str(copy)
        reader = _reader_for(PurePath(seen_as or path))
        if reader is None:
            return []
        text = source.decode("utf-8", "replace")
        if _ENV_NAMES in PurePath(path).name:
            entries = list(reader(text))
            named = [e for e in entries if e.key[-1] != "__format"]
            by_key = {e.key: e for e in named}
            defaults = _node_config_defaults(path)
            return [_env_name(path, e, by_key, defaults) for e in named]
        entries = read_entries(path, text, seen_as)
        return sorted(_report(path, entries), key=lambda r: (r.line, r.column))


def read_entries(path: str, text: str, seen_as: str = "") -> list[Entry]:
    """The file's entries, each with the Spring profile it applies under (its document's
    ``spring.config.activate.on-profile``, or the file's own: ``application-docker.yml``);
    ``seen_as`` names the file as its program reads it, when not by its own name."""
    from pathlib import PurePath

    from socklock.discover.quarkus_profiles import profiled

    name = PurePath(seen_as or path)
    reader = _reader_for(name)
    if reader is None:
        return []
    entries = [profiled(e) for e in reader(text)]  # ``%dev.`` keys: Quarkus profiles
    profile = _file_profile(name)
    if profile is not None:
        entries = [replace(e, profile=profile) for e in entries]
    return entries


# ``config/database.yml.example``: the template a setup step copies to the file the
# program reads (``cp config/database.yml.example config/database.yml``), the only copy of
# it a clone has
_TEMPLATE_SUFFIXES = (".example", ".sample", ".dist")


def _copied_as(path: PurePath) -> PurePath:
    """The file a config template is copied to; any other path as it is."""
    if path.suffix.lower() in _TEMPLATE_SUFFIXES and "." in path.stem.strip("."):
        return path.with_name(path.stem)
    return path


def is_dotenv(path: str) -> bool:
    """Whether ``path`` is a ``KEY=value`` env file (``.env``, ``.env.prod``, ``app.env``,
    or a template copied to one): its values reach the program as env vars."""
    from pathlib import PurePath

    return _reader_for(_copied_as(PurePath(path))) is read_dotenv


def _reader_for(path: PurePath) -> Callable[[str], Iterable[Entry]] | None:
    name = path.name
    lower = name.lower()
    if lower == ".env" or lower.startswith(".env.") or lower.endswith(".env"):
        return read_dotenv
    if lower.startswith(("docker-compose", "compose.", "compose-")):
        return None  # the manifest loader reads compose files
    if _HOCON_FILE.match(lower) or (beside_application(path) and loaded(str(path))):
        return read_hocon  # Akka/Play: application.conf, reference.conf, what they load
    suffix = path.suffix.lower()
    if suffix == ".hjson":
        return read_json  # a format made for config files: whatever its name, it is one
    in_config_dir = any(part.lower() in _CONFIG_DIRS for part in path.parts[:-1])
    if suffix in (".yml", ".yaml", ".properties") and any(
        part.lower().endswith(_CONFIG_REPO_SUFFIXES) or _CONFIG_REPO.match(part)
        for part in path.parts[:-1]
    ):
        in_config_dir = True  # a Spring Cloud Config repository (shop-config/orders.yml)
    named_config = bool(_CONFIG_STEMS.match(path.stem)) or _ENV_NAMES in lower
    if suffix in (".yml", ".yaml") and _go_program_etc(path):
        in_config_dir = True
    if not (named_config or in_config_dir):
        return None
    if suffix == ".properties":
        return read_properties
    if suffix in (".yml", ".yaml"):
        return read_yaml
    if suffix in (".json", ".json5"):
        return read_json
    if suffix == ".toml":
        return read_toml
    if suffix in (".ini", ".cfg"):
        return read_ini
    return None


def _go_program_etc(path: PurePath) -> bool:
    """``<program>/etc/<name>.yaml`` beside the Go program's own files: go-zero's layout
    (``goctl`` writes it; ``conf.MustLoad("etc/orders.yaml", &c)`` reads it). An ``etc``
    folder elsewhere (a container's root file system, a folder of manifests) is none."""
    if path.parent.name != "etc":
        return False
    return _has_go_files(str(path.parent.parent))


@functools.lru_cache(maxsize=1024)
def _has_go_files(folder: str) -> bool:
    from pathlib import Path

    try:
        return any(p.suffix == ".go" for p in Path(folder).iterdir() if p.is_file())
    except OSError:
        return False


_CHANNEL_CONNECTOR = re.compile(r"^mp\.messaging\.(incoming|outgoing)\..+\.connector$")
_HOCON_FILE = re.compile(r"^(application|reference)([-.][a-z0-9_-]+)?\.conf$")
_PROFILE_FILE = re.compile(r"^(?:application|bootstrap)-([A-Za-z0-9_.]+)$")


def _file_profile(path: PurePath) -> str | None:
    """``application-docker.yml`` applies only when profile ``docker`` is active."""
    if path.suffix.lower() not in (".yml", ".yaml", ".properties"):
        return None
    match = _PROFILE_FILE.match(path.stem)
    return match.group(1) if match else None


def _env_name(
    path: str, entry: Entry, by_key: dict[tuple[str, ...], Entry], defaults: dict[str, str]
) -> Result:
    """node-config's ``custom-environment-variables``: the key is read from the env var its
    value names, else from ``default.json``; a ``host`` beside a ``port`` that has a default
    there is one address (``http://${config.x.host}:${config.x.port}`` in the code)."""
    default = defaults.get(dotted_key(entry.key))
    site = CallSite(
        path, entry.line, entry.column, entry.value, CallKind.ENV_READ, None, entry.value, default
    )
    if entry.key[-1].lower() not in ("host", "hostname"):
        return site
    port = by_key.get((*entry.key[:-1], "port"))
    port_default = defaults.get(dotted_key(port.key)) if port is not None else None
    if port is None or port_default is None:
        return site  # the port the env sets beside the host, else the protocol's
    return replace(
        site,
        target=f"${{{entry.value}}}:${{{port.value}}}",
        other_defaults=((port.value, port_default),),
    )


def _node_config_defaults(path: str) -> dict[str, str]:
    """The values of node-config's ``default.json`` (or ``.yml``) beside ``path``, by dotted
    key: what a key the environment leaves unset holds."""
    from pathlib import Path

    folder = Path(path).parent
    for name, reader in (
        ("default.json", read_json),
        ("default.yml", read_yaml),
        ("default.yaml", read_yaml),
    ):
        try:
            text = (folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        return {dotted_key(e.key): e.value for e in reader(text)}
    return {}


_DOCUMENT_KEY = re.compile(r"^[ \t]*[\"']?[\w.-]+[\"']?[ \t]*:(?:[ \t]|$)", re.MULTILINE)


def document_addresses(value: str) -> list[tuple[str, str]]:
    """(key, address) of each address in a value that is a whole config document: an env
    var holding the app's YAML (``APP_CONFIG: |`` over several lines) or JSON
    (``SPRING_APPLICATION_JSON='{...}'``), read as a config file of that format is (the
    key says which value is an address; ``host`` and ``port`` siblings make one). Empty
    for a value that is no document, and for an address that needs the env."""
    from socklock.discover.code.config_readers import read_json, read_yaml

    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        entries = list(read_json(text))
    elif "\n" in text and _DOCUMENT_KEY.search(text):
        entries = list(read_yaml(text))
    else:
        return []
    if not entries or any(not entry.key for entry in entries):
        return []  # a multi-line scalar (a script, a certificate), not a mapping
    return [
        (result.key or "", result.target)
        for result in _report("", entries)
        if isinstance(result, CallSite)
        and result.target is not None
        and result.env_var is None
        and result.service is None
        and "${" not in result.target
    ]


# What a Spring (Micronaut, Quarkus) module says about itself: its service id and its port.
_DECLARED = {
    "spring.application.name": "service-name",
    "server.port": "server-port",
    "micronaut.application.name": "service-name",
    "micronaut.server.port": "server-port",
    "quarkus.application.name": "service-name",
    "quarkus.http.port": "server-port",
    # Spring Cloud Kubernetes: the ConfigMaps it reads, instead of the one of its own name
    "spring.cloud.kubernetes.config.name": "config-map-name",
    "spring.cloud.kubernetes.config.sources.name": "config-map-name",
    "spring.cloud.config.server.native.searchlocations": "config-server",
    "spring.cloud.config.server.git.uri": "config-server",
    "spring.cloud.config.server.git.searchpaths": "config-search-paths",
}
# A config server that runs the ``native`` profile serves files from its search locations,
# its own classpath when it declares none (socklock.discover.config_server)
NATIVE_PROFILE = "config-native"
_NATIVE = "native"
_INDEX = re.compile(r"\[\d+\]")
# Spring Boot 2.4+: spring.config.import=optional:configserver:http://config:8888
_IMPORT_PREFIXES = re.compile(r"^(?:optional:)?(?:configserver:)")


def _report(path: str, entries: list[Entry]) -> Iterator[Result]:
    by_key = {(dotted_key(e.key).lower(), e.profile): e for e in entries}
    routes = _zuul_routes(entries)
    located = _located_config_server(entries)
    registry_off = _eureka_off(entries)
    # a Eureka server's own settings: its zone's other URLs are the peers it replicates to
    # (PeerEurekaNodes reads them whether or not it registers or fetches)
    eureka_server = any(_relaxed(dotted_key(e.key)).startswith("eureka.server.") for e in entries)
    routed = next(
        (e for e in entries if _relaxed(dotted_key(e.key)).startswith("zuul.routes.")), None
    )
    if routed is not None:  # a Zuul proxy with routes of its own (socklock.discover.registered)
        yield Declaration(path, routed.line, routed.column, routed.value, "own-routes", "zuul")
    ocelot = _ocelot_routes(entries)
    consul_off = any(
        _relaxed(dotted_key(e.key)) == "consul.client.registration.enabled"
        and e.value.strip().lower() == "false"
        for e in entries
    )
    keys = _registry_keys(path, entries)
    health_polled = any(
        _relaxed(dotted_key(e.key)) == _EUREKA_HEALTH_CHECK and e.value.strip().lower() == "true"
        for e in entries
    )
    messaging = any(_CHANNEL_CONNECTOR.match(dotted_key(e.key).lower()) for e in entries)
    channels, read = channel_addresses(  # MicroProfile Reactive Messaging
        entries, dev_services=not (messaging and path and without_dev_services(path))
    )
    for channel in channels:
        host, joined = host_port(channel)
        value = [*_parts(host), *((":", *_parts(joined)) if joined is not None else ())]
        context = Context(call=True, weak=True, kind=CallKind.CONFIG, bare_host=True)
        yield from _emit(path, channel.host, tuple(value), context)
    for entry in entries:
        dotted = dotted_key(entry.key)
        if id(entry) in read:
            continue  # a messaging channel's broker, read above
        if id(entry) in ocelot:
            yield from _emit(path, entry, *ocelot[id(entry)])
            continue
        if _OCELOT_ROUTE.match(_relaxed(dotted)):
            continue  # a route's other fields (its port goes with its host)
        if _relaxed(dotted) in _SIDECAR_REGISTERS:
            yield from _declare(path, entry, _SIDECAR_REGISTERS[_relaxed(dotted)])
        if _OWN_IDENTITY.match(_relaxed(dotted)):
            continue  # what the instance advertises of itself
        if _GENERATED_ENV.match(_relaxed(dotted)):
            continue  # the env of the manifests Quarkus writes, not this program's call
        if _relaxed(dotted) == _SIDECAR_HEALTH and not health_polled:
            continue  # a sidecar's app health URL that only its own /health would call
        if (
            _relaxed(dotted).startswith("eureka.client.serviceurl.")
            and registry_off(entry.profile)
            and not (eureka_server and not _names_itself(entry))
        ):
            continue  # a lone Eureka server's zone, or a client that neither registers nor reads
        registry = _registry_setting(path, entry)
        if registry is not None and not (registry.what == HTTP_CHECKED and consul_off):
            yield registry
        if id(entry) in keys:
            yield from keys[id(entry)]
            continue
        if _relaxed(dotted) == "spring.profiles.active" and _NATIVE in _listed(entry.value):
            yield from _declare(path, entry, NATIVE_PROFILE)  # config_server.py: its default
        declared = _DECLARED.get(_relaxed(_unindexed(dotted)))
        if declared is not None:
            yield from _declare(path, entry, declared)
            continue
        if _relaxed(dotted) == "turbine.appconfig":
            for name in entry.value.split(","):
                if name.strip():
                    yield from _emit(path, entry, (name.strip(),), _TURBINE)
            continue
        if id(entry) in routes:
            yield from _emit(path, entry, (routes[id(entry)],), _ZUUL)
            continue
        if id(entry) in located:
            yield from _emit(path, entry, (entry.value.strip(),), _CONFIG_DISCOVERY)
            continue
        if _relaxed(dotted) == "spring.config.import":
            for item in entry.value.split(","):
                address = _IMPORT_PREFIXES.sub("", item.strip())
                if address != item.strip():
                    yield from _emit(path, entry, tuple(_parts(address)), _IMPORT)
            continue
        if _OWN_SERVER.search(dotted) or _NOT_TARGET.search(dotted):
            continue
        # ``spring.rabbitmq.host: x`` in YAML too; an array's item by the array's key
        # (``contact-points = ["cassandra-1"]``: the key ends ``contact-points.0``)
        base = _array_base(dotted)
        leaf = base.rsplit(".", 1)[-1].lower()
        seeds = _seed_scheme(base, leaf)
        host_leaf = leaf in _HOST_LEAVES or seeds is not None
        parts: list[Part] = _parts(entry.value)
        context = Context(
            call=bool(_ADDRESS_KEY.search(leaf)) or seeds is not None,
            weak=True,
            kind=CallKind.CONFIG,
            bare_host=host_leaf,
            scheme=seeds or (_scheme_hint(dotted) if host_leaf else None),
        )
        if host_leaf:
            port_key = base.lower().rsplit(".", 1)[0] + ".port" if "." in base else "port"
            # the port of the host's profile document, else of the default one
            port = by_key.get((port_key, entry.profile)) or by_key.get((port_key, None))
            if port is not None:  # ``":6600"``, Go's listen-address form, is port 6600
                written = port.value.strip()
                written = written[1:] if _COLON_PORT.fullmatch(written) else port.value
                parts = [*parts, ":", *_parts(written)]
        yield from _emit(path, entry, tuple(parts), context)


# Quarkus's Kubernetes extensions write these into the Deployment they generate
# (``quarkus.kubernetes.env.vars.kafka-servers=kafka:9092`` → env KAFKA_SERVERS): values the
# pod's env gets, which the program reads only through the keys that name them
_GENERATED_ENV = re.compile(r"^quarkus\.(kubernetes|openshift|knative|kind|minikube)\.env\.")
# The instance's own addresses, which it advertises to a registry or an admin server; a
# Spring Cloud Netflix Sidecar advertises its app's (``sidecar.hostname``, home page).
_OWN_IDENTITY = re.compile(
    r"^(eureka\.instance\.|spring\.cloud\.(consul|zookeeper)\.discovery\.(hostname|ipaddress)"
    r"|spring\.boot\.admin\.client\.instance\.|globalconfiguration\.baseurl$"
    r"|sidecar\.(hostname|ipaddress|homepageuri)$)"
)  # Ocelot's GlobalConfiguration.BaseUrl: the gateway's own public address
# The sidecar calls its app's ``sidecar.health-uri`` only when its own health is evaluated:
# on each Eureka heartbeat when ``eureka.client.healthcheck.enabled``, else when someone
# asks its /health, which nothing in the input shows; so without that flag it is no call.
_SIDECAR_HEALTH = "sidecar.healthuri"
# The host and port a sidecar registers its app under (socklock.discover.registered)
_SIDECAR_REGISTERS = {"sidecar.hostname": "registered-host", "sidecar.port": "registered-port"}
_EUREKA_HEALTH_CHECK = "eureka.client.healthcheck.enabled"
_EUREKA_FLAGS = (
    "eureka.client.enabled",
    "eureka.client.registerwitheureka",
    "eureka.client.fetchregistry",
)


def _eureka_off(entries: list[Entry]) -> Callable[[str | None], bool]:
    """Whether the Eureka client is off under a profile: ``eureka.client.enabled: false``, or
    it neither registers nor fetches the registry (a lone Eureka server naming itself).
    A profile's document overrides the default one."""
    flags: dict[str | None, dict[str, str]] = {}
    for entry in entries:
        key = _relaxed(dotted_key(entry.key))
        if key in _EUREKA_FLAGS:
            flags.setdefault(entry.profile, {})[key] = entry.value.strip().lower()

    def off(profile: str | None) -> bool:
        merged = {**flags.get(None, {}), **flags.get(profile, {})}
        enabled, register, fetch = (merged.get(flag) for flag in _EUREKA_FLAGS)
        return enabled == "false" or (register == "false" and fetch == "false")

    return off


def _names_itself(entry: Entry) -> bool:
    """Whether a Eureka server's zone is written as its own address: its instance hostname
    or its own ``server.port`` as placeholders (a standalone server naming itself)."""
    value = entry.value.lower().replace(" ", "")
    return "${eureka.instance.hostname" in value or "${server.port" in value


_ZUUL = Context(call=True, kind=CallKind.CONFIG, service="zuul")
_CONFIG_DISCOVERY = Context(call=True, kind=CallKind.CONFIG, service="discovery")
_CONFIG_DISCOVERY_KEYS = (
    "spring.cloud.config.discovery.enabled",
    "spring.cloud.config.discovery.serviceid",
)


def _located_config_server(entries: list[Entry]) -> set[int]:
    """The ``spring.cloud.config.discovery.service-id`` entries of a profile (or the default
    document) whose config client finds its config server through the registry
    (``discovery.enabled: true`` there or in the default document): the client calls the
    service of that id. entry ids."""
    enabled: dict[str | None, str] = {}
    ids: list[Entry] = []
    for entry in entries:
        key = _relaxed(dotted_key(entry.key))
        if key == _CONFIG_DISCOVERY_KEYS[0]:
            enabled[entry.profile] = entry.value.strip().lower()
        elif key == _CONFIG_DISCOVERY_KEYS[1] and entry.value.strip():
            ids.append(entry)
    return {id(entry) for entry in ids if enabled.get(entry.profile, enabled.get(None)) == "true"}


_TURBINE = Context(call=True, kind=CallKind.CONFIG, service="turbine")
# Registration in a service registry, and gateways that route to every registered service
# (socklock.discover.registered): key → what the declaration says
_REGISTRY_FLAGS = {
    "eureka.client.enabled": "registers",
    "eureka.client.registerwitheureka": "registers",
    "spring.cloud.consul.discovery.register": "registers",
    "spring.cloud.consul.discovery.enabled": "registers",
}
_LOCATORS = (
    "spring.cloud.gateway.discovery.locator.enabled",
    "spring.cloud.gateway.server.webflux.discovery.locator.enabled",
)


def _registry_setting(path: str, entry: Entry) -> Declaration | None:
    """``eureka.client.register-with-eureka: false`` (registers false), a ``defaultZone``
    (registers zone), ``zuul.ignored-services`` and the Gateway's discovery locator."""
    key = _relaxed(dotted_key(entry.key))
    value = entry.value.strip()
    what: str | None = None
    if key in _REGISTRY_FLAGS and value.lower() in ("true", "false"):
        what, value = _REGISTRY_FLAGS[key], value.lower()
    elif key.startswith("eureka.client.serviceurl.") and "://" in value:
        what, value = "registers", "zone"
    elif key == "zuul.ignoredservices":
        what = "ignored-services"
    elif key in _LOCATORS and value.lower() == "true":
        what, value = "registry-wide", "Spring Cloud Gateway discovery locator"
    elif key == _CONSUL_HTTP_CHECK and value.lower() == "true":
        what, value = HTTP_CHECKED, "Consul"
    if what is None:
        return None
    return Declaration(path, entry.line, entry.column, entry.value, what, value, entry.profile)


# go-zero (zrpc): a server's ``Etcd: {Hosts: [etcd:2379], Key: orders.rpc}`` registers its
# ``ListenOn`` address under the key; a client's ``OrdersRpc: {Etcd: {Hosts, Key}}`` block
# resolves the key and dials that server itself (the registry hands out its address).
_REGISTRY_KEY = re.compile(r"^(?:([a-z0-9]+)\.)?(etcd|consul)\.key$")
_KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_LISTEN_ON = "listenon"


def _registry_keys(path: str, entries: list[Entry]) -> dict[int, list[Result]]:
    """Entry id → what its registry key says: a top-level key is the name the program
    registers under (a ``service-name``), a client block's key the server it calls; a
    top-level ``ListenOn`` is the port it serves. A key without sibling ``Hosts`` (a TLS
    key file, say) is none."""
    relaxed = [_relaxed(dotted_key(e.key)) for e in entries]
    out: dict[int, list[Result]] = {}
    for entry, key in zip(entries, relaxed, strict=True):
        found = _REGISTRY_KEY.match(key)
        value = entry.value.strip()
        if found is None or not _KEY_NAME.match(value):
            continue
        block = key.removesuffix(".key")
        if not any(k.startswith(block + ".hosts") or k == block + ".host" for k in relaxed):
            continue
        if found.group(1) is None:
            out[id(entry)] = list(_declare(path, entry, "service-name"))
        elif found.group(2) == "etcd":
            context = Context(call=True, kind=CallKind.CONFIG, service="etcd")
            out[id(entry)] = list(_emit(path, entry, (value,), context))
    for entry, key in zip(entries, relaxed, strict=True):
        port = entry.value.strip().rpartition(":")[2]
        if key == _LISTEN_ON and port.isdigit():
            out[id(entry)] = [
                Declaration(path, entry.line, entry.column, entry.value, "server-port", port)
            ]
    return out


# Micronaut's Consul registration with an HTTP check: the Consul agent calls the service's
# /health (``consul.client.registration.check.http``; the default is a TTL the service
# reports itself). The agent is the one the service's ``consul.client`` address names.
_CONSUL_HTTP_CHECK = "consul.client.registration.check.http"
HTTP_CHECKED = "registry-http-check"
REGISTRY_ADDRESS_KEYS = ("consul.client.", "spring.cloud.consul.host")


_IMPORT = Context(call=True, kind=CallKind.CONFIG)


# A key whose value is a host without port (or one item of a list of hosts: RawRabbit's
# ``hostnames: [rabbitmq]``); a sibling ``port`` key gives its port.
_HOST_LEAVES = frozenset({"host", "hostname", "hosts", "hostnames"})
_COLON_PORT = re.compile(r":[0-9]{1,5}")
# Cassandra's word for the hosts a driver first connects to (the DataStax drivers'
# ``basic.contact-points``, Spring Data's ``spring.data.cassandra.contact-points``, Akka
# Persistence Cassandra's ``cassandra-journal.contact-points``): native protocol, 9042
_CONTACT_POINTS = frozenset({"contact-points", "contactpoints", "contact_points"})
# Quill's and the DataStax 3.x builder's single ``contactPoint`` (``session.contactPoint``)
_CONTACT_POINTS |= {"contact-point", "contactpoint", "contact_point"}
_ARRAY_ITEM = re.compile(r"(?:\.[0-9]+)+$")
# Hazelcast's client: the cluster members it first connects to (Quarkus's
# ``quarkus.hazelcast-client.cluster-members``, Spring's ``hazelcast.client.network.
# cluster-members``), hosts on the member port 5701 unless written with one
_MEMBERS = frozenset({"cluster-members", "clustermembers", "cluster_members"})


def _seed_scheme(key: str, leaf: str) -> str | None:
    """The protocol of a key that lists the cluster nodes a driver first connects to (bare
    hosts, on that protocol's port); None for any other key."""
    if leaf in _CONTACT_POINTS:
        return "cassandra"
    if leaf in _MEMBERS and "hazelcast" in key.lower():
        return "hazelcast"
    return None


def _array_base(dotted: str) -> str:
    """A dotted key without the index of an array's item (``a.hosts.0`` → ``a.hosts``)."""
    return _ARRAY_ITEM.sub("", dotted)


# Ocelot (.NET API gateway): ``Routes`` (``ReRoutes`` before Ocelot 16) forward to each
# ``DownstreamHostAndPorts`` Host and Port, or to the instances a service registry lists
# under the route's ``ServiceName`` (Consul, Eureka: GlobalConfiguration names the registry).
_OCELOT_ROUTE = re.compile(r"^(re)?routes\.(downstreamhostandports\.)?[a-z]+$")
_OCELOT = Context(call=True, kind=CallKind.CONFIG, service="ocelot")
_WEB_SCHEMES = {"http": "http", "ws": "http", "https": "https", "wss": "https"}


def _ocelot_routes(entries: list[Entry]) -> dict[int, tuple[tuple[Part, ...], Context]]:
    """Entry id → what to emit for each Ocelot route target: a ``ServiceName`` as a registry
    name, a downstream ``Host`` with the ``Port`` that follows it in the same list item (an
    item's fields come together, in the file's order), on the scheme's port when it has none.
    Empty for a file with no route that has a ``DownstreamPathTemplate``."""
    keyed = [(_relaxed(dotted_key(e.key)), e) for e in entries]
    prefixes = {k.rsplit(".", 1)[0] for k, _ in keyed if k.endswith(".downstreampathtemplate")}
    prefixes = {p for p in prefixes if p in ("routes", "reroutes")}
    found: dict[int, tuple[tuple[Part, ...], Context]] = {}
    if not prefixes:
        return found
    for index, (key, entry) in enumerate(keyed):
        route, _, field = key.partition(".")
        if route not in prefixes:
            continue
        if field == "servicename" and entry.value.strip():
            # the registry's instance on the route's scheme (``http``, not the ``https``
            # port a Service of that name also has); a WebSocket's is its HTTP scheme's
            scheme = _WEB_SCHEMES.get(_route_scheme(keyed, index) or "")
            found[id(entry)] = ((entry.value.strip(),), replace(_OCELOT, scheme=scheme))
        elif field == "downstreamhostandports.host":
            port = next(
                (
                    e
                    for k, e in keyed[index + 1 :]
                    if k in (f"{route}.downstreamhostandports.port", key)
                ),
                None,
            )
            parts: tuple[Part, ...] = tuple(_parts(entry.value))
            if port is not None and _relaxed(dotted_key(port.key)).endswith(".port"):
                parts = (*parts, ":", *_parts(port.value))
            context = Context(
                call=True, kind=CallKind.CONFIG, bare_host=True, scheme=_route_scheme(keyed, index)
            )
            found[id(entry)] = (parts, context)
    return found


def _route_scheme(keyed: list[tuple[str, Entry]], index: int) -> str | None:
    """The ``DownstreamScheme`` of the route item that holds entry ``index``: the nearest one
    written before it since the item's ``DownstreamPathTemplate``, else after it."""
    route = keyed[index][0].split(".", 1)[0]
    start = index
    while start > 0 and keyed[start][0] != f"{route}.downstreampathtemplate":
        start -= 1
    for key, entry in keyed[start:]:
        if key == f"{route}.downstreamscheme":
            return entry.value.strip().lower() or None
        if key == f"{route}.downstreampathtemplate" and entry is not keyed[start][1]:
            break
    return None


def _zuul_routes(entries: list[Entry]) -> dict[int, str]:
    """Zuul routes that name a service: ``zuul.routes.<route>.serviceId: orders``, or a
    route with only a path (``zuul.routes.orders.path`` or ``zuul.routes.orders: /o/**``),
    which Zuul maps to the service named like the route. entry id → service name."""
    routes: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        key = [_relaxed(part) for part in entry.key if part != "[]"]
        if len(key) >= 3 and key[:2] == ["zuul", "routes"]:
            field = key[3] if len(key) > 3 else "path"
            routes.setdefault(entry.key[2], {})[field] = entry
    found: dict[int, str] = {}
    for route, fields in routes.items():
        if "serviceid" in fields:
            found[id(fields["serviceid"])] = fields["serviceid"].value
        elif "url" not in fields and "path" in fields:
            found[id(fields["path"])] = route
    return found


def _unindexed(dotted: str) -> str:
    """A list item's key without its index: ``sources[0].name`` and YAML's ``sources.0.name``
    (``- name:``) are ``sources.name``."""
    return ".".join(part for part in _INDEX.sub("", dotted).split(".") if not part.isdigit())


def _relaxed(dotted: str) -> str:
    """Spring relaxed binding: ``serviceId``, ``service-id``, ``service_id`` are one key."""
    return dotted.lower().replace("-", "").replace("_", "")


def _listed(value: str) -> set[str]:
    """The items of a comma list (``docker,native``), trimmed."""
    return {item.strip() for item in value.split(",") if item.strip()}


def _declare(path: str, entry: Entry, what: str) -> Iterator[Result]:
    """The declared value, with placeholders' defaults filled in (a placeholder without a
    default stays ``${NAME}`` for the env of the workload to fill). A port of ``-1`` or ``0``
    (``${SERVICE_PORT:-1}``: Spring and Micronaut read ``-1``, not the shell's ``1``) is a
    random one: nothing to declare."""
    if what == "server-port" and any(
        p.default in ("-1", "0", "-0") for p in config_placeholders(entry.value)
    ):
        return
    value = "".join(
        part if isinstance(part, str) else part.default or f"${{{part.name}}}"
        for part in _parts(entry.value)
        if isinstance(part, (str, Env))
    )
    if value.strip():
        yield Declaration(
            path, entry.line, entry.column, entry.value, what, value.strip(), entry.profile
        )


def emit_value(
    path: str, key: tuple[str, ...], value: str, line: int, column: int
) -> Iterator[Result]:
    """What a config value under ``key`` that is known to be an address reports (another
    format's reader: a logging config's appender), placeholders read as env reads."""
    from socklock.discover.code.config_readers import Entry

    entry = Entry(key, value, line, column)
    yield from _emit(path, entry, tuple(_parts(value)), Context(call=True, kind=CallKind.CONFIG))


def _emit(path: str, entry: Entry, value: tuple[Part, ...], context: Context) -> Iterator[Result]:
    outcome = render(value, context)
    if outcome is None:
        return
    expression = entry.value if len(entry.value) <= 200 else entry.value[:199] + "…"
    if isinstance(outcome, Resolved):
        yield CallSite(
            path,
            entry.line,
            entry.column,
            expression,
            outcome.kind,
            outcome.target,
            outcome.env_var,
            outcome.env_default,
            round(outcome.confidence, 3),
            service=outcome.service,
            profile=entry.profile,
            key=dotted_key(entry.key),
            other_defaults=outcome.other_defaults,
            listed=ITEM in entry.key,
        )
    else:
        yield UnresolvedCall(path, entry.line, entry.column, expression, outcome.reason)


def _parts(value: str) -> list[Part]:
    """Text with ``${NAME:default}`` (Spring), ``${NAME:-default}`` (shell) or
    ``%env(NAME)%`` (Symfony) as env reads."""
    parts: list[Part] = []
    position = 0
    for placeholder in config_placeholders(value):
        parts.append(value[position : placeholder.start])
        default = placeholder.default
        if default is not None and default.startswith("-"):
            default = default[1:]
        parts.append(Env(placeholder.name, default or None, placeholder.confidence))
        position = placeholder.end
    parts.append(value[position:])
    return [p for p in parts if p != ""]


def _scheme_hint(dotted: str) -> str | None:
    lower = dotted.lower()
    return next((scheme for word, scheme in _SCHEME_HINTS if word in lower), None)


ANALYSER = ConfigFileAnalyser()
