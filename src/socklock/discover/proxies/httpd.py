"""Apache httpd (``sites-enabled/*.conf``, ``httpd.conf``): the backends mod_proxy sends to.

``ProxyPass /path http://orders:8080/`` and ``ProxyPassMatch ^/(.*)$ fcgi://php:9000/``
forward requests; ``BalancerMember http://orders:8080`` inside ``<Proxy balancer://name>``
is one backend of a balancer; ``RewriteRule ^/x http://orders/ [P]`` proxies too.
``ProxyPassReverse`` only rewrites response headers (no request goes out) and
``ProxyPass /static !`` excludes a path. httpd expands ``${VAR}`` from its environment (and
``Define``) when it reads the file; an unset one is reported.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping, Sequence

from socklock.discover.addresses import DEFAULT_PORTS
from socklock.discover.proxies.interface import Found, Source, Unknown, Upstream, unset_reason

_FORWARDS = frozenset({"proxypass", "proxypassmatch", "balancermember"})
_MARKER = re.compile(r"^\s*(?:ProxyPass(?:Match)?|BalancerMember)\s+\S", re.MULTILINE | re.I)
_SITE_HINT = re.compile(r"^\s*<(?:VirtualHost|Proxy|Location)\b|^\s*LoadModule\s", re.M | re.I)
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PROXY_FLAG = re.compile(r"^\[(?:[^\]]*,)?P(?:,[^\]]*)?\]$", re.IGNORECASE)
_PORTS = {**DEFAULT_PORTS, "ajp": 8009, "h2c": 80, "h2": 443}


class HttpdReader:
    name = "httpd"

    def claims(self, name: str, text: str) -> bool:
        lowered = name.lower()
        return (
            (lowered.endswith(".conf") or lowered.startswith("httpd"))
            and bool(_MARKER.search(text))
            and bool(_SITE_HINT.search(text))
        )

    def includes(self, source: Source) -> list[str]:
        return []

    def read(self, sources: Sequence[Source], env: Mapping[str, str]) -> Iterator[Found]:
        for source in sources:
            defined = dict(env)
            for number, words in _directives(source):
                keyword = words[0].lower()
                if keyword == "define" and len(words) >= 3:
                    defined.setdefault(words[1], words[2])
                    continue
                url = _target(keyword, words)
                if url is not None:
                    yield _upstream(source, number, words[0], url, defined)


def _directives(source: Source) -> Iterator[tuple[int, list[str]]]:
    for number, raw in enumerate(source.text.split("\n"), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            words = shlex.split(text, posix=True)
        except ValueError:
            words = text.split()
        if words:
            yield number, words


def _target(keyword: str, words: list[str]) -> str | None:
    """The URL a directive sends requests to, None for one that sends none."""
    if keyword in ("proxypass", "proxypassmatch"):
        # ``ProxyPass /path URL [key=value...]``; inside ``<Location>``: ``ProxyPass URL``
        rest = [w for w in words[1:] if "=" not in w or "://" in w]
        url = rest[1] if len(rest) >= 2 else rest[0] if rest else None
        return None if url is None or url == "!" or "://" not in url else url
    if keyword == "balancermember" and len(words) >= 2:
        return words[1] if "://" in words[1] else None
    if keyword == "rewriterule" and len(words) >= 4 and _PROXY_FLAG.match(words[3]):
        return words[2] if "://" in words[2] else None
    return None


def _upstream(
    source: Source, number: int, directive: str, url: str, env: Mapping[str, str]
) -> Found:
    where = source.where(number, directive)
    expression = f"{directive} {url}"
    unset = [name for name in _VARIABLE.findall(url) if name not in env]
    if unset:
        return Unknown(where, expression, unset_reason(unset))
    value = _VARIABLE.sub(lambda m: env[m.group(1)], url)
    scheme, _, rest = value.partition("://")
    scheme = scheme.lower()
    hostport = rest.split("/", 1)[0].split("|", 1)[0]
    if scheme == "balancer":
        return Unknown(where, expression, f"balancer {hostport}: its BalancerMember lines say")
    if "$" in hostport or "(" in hostport:
        return Unknown(where, expression, f"the address holds {hostport}, known only per request")
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    number_port = int(port) if colon and port.isdigit() else _PORTS.get(scheme)
    via = f" ({url} → {value})" if value != url else ""
    return Upstream(host.lower(), number_port, scheme or None, where, f"httpd {expression}{via}")
