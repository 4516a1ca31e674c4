"""msmtp's config: the account used without --account, and its SMTP port."""

from __future__ import annotations

from socklock.discover.infra.msmtp import MsmtpReader
from socklock.discover.proxies.interface import Source, Upstream


def _targets(text: str) -> list[tuple[str, int | None, int]]:
    found = MsmtpReader().read([Source("/x/msmtprc", text)], {})
    return [(u.host, u.port, u.location.line) for u in found if isinstance(u, Upstream)]


def test_default_account_host_and_port() -> None:
    assert _targets("# mail\naccount default\nhost relay\nport 1025\nfrom a@b.c\n") == [
        ("relay", 1025, 3)
    ]


def test_defaults_section_and_an_aliased_default() -> None:
    text = (
        "defaults\nport 2525\n\naccount backup\nhost spare\n\n"
        "account main\nhost relay\n\naccount default : main\n"
    )
    assert _targets(text) == [("relay", 2525, 8)]


def test_port_by_tls_when_not_written() -> None:
    assert _targets("account only\nhost relay\n") == [("relay", 25, 2)]
    assert _targets("account only\nhost relay\ntls on\ntls_starttls off\n") == [("relay", 465, 2)]


def test_several_accounts_without_default_name_no_server() -> None:
    assert _targets("account a\nhost one\naccount b\nhost two\n") == []


def test_claims_only_msmtp_files() -> None:
    reader = MsmtpReader()
    assert reader.claims("msmtprc", "host relay\n")
    assert reader.claims(".msmtprc", "host relay\n")
    assert not reader.claims("hosts.conf", "host relay\n")
