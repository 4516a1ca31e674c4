"""msmtp's config (``/etc/msmtprc``, ``~/.msmtprc``): the SMTP server a program's mail goes to.

Images of PHP and other runtimes send mail through ``sendmail_path = msmtp -t``; msmtp
then connects to the ``host`` and ``port`` of the account it uses: ``default`` (``account
default : other`` names another account), else the only account the file defines. A
``defaults`` section gives every account its settings. The port is 25 unless written (465
for TLS without STARTTLS, ``tls on`` with ``tls_starttls off``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from socklock.discover.infra.values import address
from socklock.discover.proxies.interface import Found, Source

NAMES = ("msmtprc", ".msmtprc")
_SMTP_PORT = 25
_SMTPS_PORT = 465


class MsmtpReader:
    name = "msmtp"
    # a client program's file: only a mount of the file itself makes it a workload's
    client_config = True

    def claims(self, name: str, text: str) -> bool:
        return name.removesuffix(".template") in NAMES and "host" in text

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            chosen = _account(source.text)
            if chosen is None or "host" not in chosen:
                continue
            host, line = chosen["host"]
            port = chosen.get("port", (str(_default_port(chosen)), line))[0]
            location = source.where(line, host)
            yield from address(location, f"{host}:{port}", env, "msmtp host", default_scheme="smtp")


Settings = dict[str, tuple[str, int]]  # key → (value, line)


def _account(text: str) -> Settings | None:
    """The settings of the account msmtp uses without ``--account``."""
    defaults: Settings = {}
    accounts: dict[str, Settings] = {}
    parents: dict[str, list[str]] = {}
    current: Settings = defaults
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        value = value.strip().strip('"')
        if key == "defaults":
            current = defaults
        elif key == "account":
            name, _, inherited = value.partition(":")
            current = dict(defaults)
            accounts[name.strip()] = current
            parents[name.strip()] = [p.strip() for p in inherited.split(",") if p.strip()]
        else:
            current[key] = (value, number)
    if "default" in accounts:
        name = "default"
    elif len(accounts) == 1:
        (name,) = accounts
    else:
        return None  # several accounts and no default: the sender picks one
    chosen: Settings = {}
    for parent in parents.get(name, []):
        chosen.update(accounts.get(parent, {}))
    chosen.update(accounts[name])
    return chosen


def _default_port(settings: Settings) -> int:
    tls = settings.get("tls", ("off", 0))[0] == "on"
    starttls = settings.get("tls_starttls", ("on", 0))[0] != "off"
    return _SMTPS_PORT if tls and not starttls else _SMTP_PORT
