"""Spring ``${name:default}`` placeholders and the env var names frameworks bind.

Spring resolves ``${catalogue.url}`` from any property source, environment included,
under relaxed binding (``CATALOGUE_URL``); ASP.NET Core maps configuration key
``Services:Catalog`` to env var ``Services__Catalog``. We report the env var name a
manifest would set, so the caller can join it with the workload's environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENV_STYLE = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Placeholder:
    start: int  # offsets of ``${...}`` in the text
    end: int
    name: str  # as an env var
    default: str | None
    confidence: float


def spring_env_name(prop: str) -> tuple[str, float]:
    """The env var that sets ``prop`` under relaxed binding, with our confidence in it."""
    if _ENV_STYLE.match(prop):
        return prop, 1.0
    name = re.sub(r"\[(\d+)\]", r"_\1", prop).replace(".", "_").replace("-", "").upper()
    return name.strip("_") or prop, 0.9


def aspnet_env_name(key: str) -> str:
    """``Services:Catalog`` → ``Services__Catalog``."""
    return key.replace(":", "__")


def spring_placeholders(value: str) -> list[Placeholder]:
    """Every top-level ``${name:default}`` in ``value`` (nested defaults kept as text)."""
    found: list[Placeholder] = []
    index = value.find("${")
    while index != -1:
        depth = 0
        end = -1
        for position in range(index, len(value)):
            if value.startswith("${", position):
                depth += 1
            elif value[position] == "}":
                depth -= 1
                if depth == 0:
                    end = position + 1
                    break
        if end == -1:
            break
        body = value[index + 2 : end - 1]
        prop, colon, default = body.partition(":")
        if len(default) > 1 and default[0] == default[-1] == "`":
            default = default[1:-1]  # Micronaut quotes a default holding colons: `http://a:80`
        name, confidence = spring_env_name(prop.strip())
        found.append(Placeholder(index, end, name, default if colon else None, confidence))
        index = value.find("${", end)
    return found


# Symfony: ``%env(DATABASE_URL)%``, with processors before the name
# (``%env(resolve:DATABASE_URL)%``, ``%env(default:fallback_param:REDIS_URL)%``)
_SYMFONY_ENV = re.compile(r"%env\((?:[a-z_]+:)*([A-Za-z_][A-Za-z0-9_]*)\)%")


# Rails' ERB in config/*.yml (database.yml, cable.yml): ``<%= ENV['X'] %>``,
# ``<%= ENV['X'] || 'dflt' %>``, ``<%= ENV.fetch('X', 'dflt') %>``,
# ``<%= ENV.fetch("X") { 5432 } %>``
_RUBY_LITERAL = r"""(?:'[^']*'|"[^"]*"|\d+|nil)"""
_ERB_ENV = re.compile(
    r"<%=\s*ENV(?:\[\s*(['\"])(?P<index>[A-Za-z_]\w*)\1\s*\]"
    r"|\.fetch\(\s*(['\"])(?P<fetch>[A-Za-z_]\w*)\3\s*(?:,\s*(?P<argument>"
    + _RUBY_LITERAL
    + r")\s*)?\)(?:\s*\{\s*(?P<block>"
    + _RUBY_LITERAL
    + r")\s*\})?)(?:\s*\|\|\s*(?P<otherwise>"
    + _RUBY_LITERAL
    + r"))?\s*-?%>"
)


def _ruby_default(match: re.Match[str]) -> str | None:
    written = match["argument"] or match["block"] or match["otherwise"]
    if written is None or written == "nil":
        return None
    return written.strip("'\"")


def config_placeholders(value: str) -> list[Placeholder]:
    """Every env reference a config file's value holds, in order: Spring/shell
    ``${NAME:default}``, Symfony ``%env(processor:NAME)%`` (which has no literal
    default: ``default:`` names a parameter) and Rails' ERB ``<%= ENV['NAME'] || 'x' %>``."""
    found = spring_placeholders(value)
    if "%env(" in value:
        found += [
            Placeholder(m.start(), m.end(), m.group(1), None, 1.0)
            for m in _SYMFONY_ENV.finditer(value)
        ]
    if "<%" in value:
        found += [
            Placeholder(m.start(), m.end(), m["index"] or m["fetch"], _ruby_default(m), 1.0)
            for m in _ERB_ENV.finditer(value)
        ]
    found.sort(key=lambda p: p.start)
    return found


def spring_placeholder(value: str) -> Placeholder | None:
    """The placeholder when ``value`` is exactly one ``${...}``."""
    found = spring_placeholders(value.strip())
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(value.strip()):
        return found[0]
    return None
