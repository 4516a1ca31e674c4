"""Feature switches of an Aspire AppHost: which branch of ``cond ? AddProject<A> : AddProject<B>``
the AppHost runs.

An AppHost may pick its resources from its own configuration::

    var kind = (builder.Configuration["IdentityType"] ?? "Duende").Trim();
    var useOpenIddict = kind.Equals("OpenIddict", StringComparison.OrdinalIgnoreCase);
    var identity = useOpenIddict ? builder.AddProject<A>("a") : builder.AddProject<B>("b");

Its configuration is what ``dotnet run`` gives it: ``appsettings.json``, then
``appsettings.<Environment>.json``, then the environment variables of the launch profile it
runs (its first ``Project`` profile; ``A__B`` is key ``A:B``), each over the one before. A
string read from it (a literal fallback after ``??`` when no source sets the key), a bool
compared from such a string (``==``, ``Equals``) or read as one (``GetValue<bool>``), and a
ternary on such a bool: the branch not taken is blanked out of the statement, so the walker
sees only the resource the run adds. A condition it cannot decide leaves the statement as it
is.
"""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.units import launch
from socklock.load.units.tree import read

# ``builder.Configuration["Key"]``, ``builder.Configuration.GetValue<string>("Key")``
_READ = (
    r"\w+\s*\.\s*Configuration\s*"
    r"(?:\[\s*\"([^\"]+)\"\s*\]|\.\s*GetValue\s*<\s*(\w+)\s*>\s*\(\s*\"([^\"]+)\"\s*\))"
)
_OPERAND = re.compile(rf"\s*(?:{_READ}|\"([^\"]*)\")\s*")
_STRING = re.compile(r"^[\s}]*(?:var|string\??|bool)\s+(\w+)\s*=\s*(.+?)\s*$", re.DOTALL)
_TRIM = re.compile(r"^\(\s*(.+)\s*\)\s*\.\s*Trim\s*\(\s*\)$", re.DOTALL)
_EQUALS = re.compile(
    r"^(!?)\s*(\w+)\s*\.\s*Equals\s*\(\s*\"([^\"]*)\"\s*(,\s*StringComparison\s*\.\s*(\w+))?\s*\)$"
)
_COMPARE = re.compile(r"^(\w+)\s*(==|!=)\s*\"([^\"]*)\"$")
_TERNARY = re.compile(r"^([\s}]*(?:var\s+)?\w+\s*=\s*)(!?)\s*(\w+)\s*\?", re.DOTALL)
_BOOLEAN = {"true": True, "false": False}


def configuration(apphost: Path) -> dict[str, str]:
    """The AppHost's configuration as a run of its default launch profile sees it: key (in
    lower case, ``:``-separated) → value."""
    from socklock.load.claims import read_jsonc

    profiles = launch.profiles(apphost)
    name = launch.default_profile(profiles)
    variables = profiles.get(name, {}).get("environmentVariables") if name else None
    env = {str(k): str(v) for k, v in variables.items()} if isinstance(variables, dict) else {}
    environment = next(
        (env[k] for k in ("DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT") if k in env),
        "Production",
    )
    found: dict[str, str] = {}
    for file in ("appsettings.json", f"appsettings.{environment}.json"):
        text = read(apphost / file)
        _flatten(read_jsonc(text) if text else None, "", found)
    found.update((k.replace("__", ":").lower(), v) for k, v in env.items())
    return found


def _flatten(data: object, prefix: str, out: dict[str, str]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _flatten(value, f"{prefix}{key}".lower() + ":", out)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _flatten(value, f"{prefix}{index}:", out)
    elif data is not None and prefix:
        out[prefix[:-1]] = str(data).lower() if isinstance(data, bool) else str(data)


class Switches:
    """The string and bool variables an AppHost computes from its configuration."""

    def __init__(self, config: dict[str, str]) -> None:
        self.config = config
        self.strings: dict[str, str] = {}
        self.flags: dict[str, bool] = {}

    def read(self, statement: str) -> None:
        """Records the variable a statement sets from configuration, when it is one."""
        found = _STRING.match(statement)
        if found is None:
            return
        name, value = found.group(1), " ".join(found.group(2).split())
        trimmed = _TRIM.match(value)
        text = self._string(trimmed.group(1) if trimmed else value)
        if text is not None:
            self.strings[name] = text.strip() if trimmed else text
            if text.lower() in _BOOLEAN and _is_bool_read(value):
                self.flags[name] = _BOOLEAN[text.lower()]
            return
        flag = self._compare(value)
        if flag is not None:
            self.flags[name] = flag

    def _string(self, expression: str) -> str | None:
        """``a ?? b ?? "x"``: the first operand that has a value; None when one is unknown."""
        for operand in expression.split("??"):
            match = _OPERAND.fullmatch(operand)
            if match is None:
                return None
            key = match.group(1) or match.group(3)
            if key is None:
                return match.group(4)
            value = self.config.get(key.replace("__", ":").lower())
            if value is not None:
                return value
            if match.group(2) and match.group(2).lower() == "bool" and "??" not in expression:
                return "false"  # GetValue<bool> of an unset key is its default
        return None

    def _compare(self, value: str) -> bool | None:
        equals = _EQUALS.match(value)
        if equals is not None:
            negated, name, literal, _, comparison = equals.groups()
            held = self.strings.get(name)
            if held is None:
                return None
            if comparison and "IgnoreCase" in comparison:
                same = held.lower() == literal.lower()
            else:
                same = held == literal
            return same != bool(negated)
        compare = _COMPARE.match(value)
        if compare is not None and compare.group(1) in self.strings:
            same = self.strings[compare.group(1)] == compare.group(3)
            return same if compare.group(2) == "==" else not same
        return None

    def taken(self, statement: str) -> str:
        """The statement with the branch of its ternary that the run does not take blanked
        out (newlines kept: positions and lines stay those of the file)."""
        found = _TERNARY.match(statement)
        if found is None or found.group(3) not in self.flags:
            return statement
        condition = self.flags[found.group(3)] != bool(found.group(2))
        colon = _top_level_colon(statement, found.end())
        if colon is None:
            return statement
        if condition:
            return statement[:colon] + _blank(statement[colon:])
        return (
            statement[: found.end()]
            + _blank(statement[found.end() : colon + 1])
            + statement[colon + 1 :]
        )


def _is_bool_read(value: str) -> bool:
    return bool(re.search(r"GetValue\s*<\s*bool\s*>", value))


def _top_level_colon(text: str, start: int) -> int | None:
    """The ``:`` of the ternary that opens before ``start``: outside brackets and strings."""
    depth = 0
    quoted = False
    for index in range(start, len(text)):
        char = text[index]
        if char == '"' and text[index - 1] != "\\":
            quoted = not quoted
        elif quoted:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ":" and depth == 0:
            return index
    return None


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)
