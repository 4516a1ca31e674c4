"""Quarkus configuration profiles: ``%dev.kafka.bootstrap.servers=localhost:9092`` applies
only when the application runs profile ``dev``.

Quarkus runs ``dev`` in dev mode (``quarkus dev``, ``./mvnw quarkus:dev``: how a service is
started from its sources on the host), ``test`` under its tests, and ``prod`` otherwise (the
packaged application, as a container runs it); ``QUARKUS_PROFILE`` names the profile
instead. A prefix may list several profiles
(``%dev,test.``). The reader keeps such a key's profile as ``%dev`` (the ``%`` tells it from
a Spring profile, which an entry's profile otherwise is).
"""

from __future__ import annotations

from collections.abc import Mapping

from socklock.discover.code.config_readers import Entry

PROFILE_ENV = "QUARKUS_PROFILE"
MARK = "%"


def profiled(entry: Entry) -> Entry:
    """``%dev.a.b`` → the entry ``a.b`` with profile ``%dev``; any other entry as it is."""
    first = entry.key[0] if entry.key else ""
    if not first.startswith(MARK) or len(first) < 2 or len(entry.key) < 2:
        return entry
    return Entry(entry.key[1:], entry.value, entry.line, entry.column, first)


def is_quarkus(profile: str | None) -> bool:
    return profile is not None and profile.startswith(MARK)


def running_profile(env: Mapping[str, str], *, on_host: bool) -> str:
    """The profile a Quarkus application runs: the env's, else ``dev`` for a service started
    from its sources on the host, else ``prod``."""
    given = (env.get(PROFILE_ENV) or "").strip()
    if given:
        return given.split(",")[0].strip()
    return "dev" if on_host else "prod"


def applies(profile: str, running: str) -> bool:
    """Whether an entry of ``profile`` (``%dev``, ``%dev,test``) applies under ``running``."""
    return running in {p.strip() for p in profile[len(MARK) :].split(",")}
