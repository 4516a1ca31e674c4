"""Values of application config keys by dotted path, for code that reads its config by key.

A C++ service in DeathStarBench's style reads ``config_json["user-service"]["addr"]``
from a JSON file it loads at run time; the analyser reports the key path
(``user-service.addr``) as a read, and the join looks it up here, as it looks env vars up
in the manifests: in the config files under the scanned roots that the config-file
analyser reads (JSON, JSON5, Hjson, YAML, TOML, HOCON), the file nearest to the reading file
first. Lightbend config's ``config.getString("services.orders.host")`` is read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from socklock.discover.code.config_readers import dotted_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from socklock.discover.code.config_readers import Entry

# ``.conf``: the HOCON files the config-file analyser reads as such (``application.conf``
# and what it includes), never another program's ``.conf``
_FORMATS = (".json", ".json5", ".hjson", ".yml", ".yaml", ".toml", ".conf")


@dataclass(frozen=True, slots=True)
class KeyValue:
    value: str
    file: str
    line: int
    column: int


class ConfigKeys:
    """Every scalar of the roots' config files by dotted key path; read on first lookup."""

    def __init__(self, roots: Sequence[str]) -> None:
        self._roots = list(roots)
        self._values: dict[str, list[KeyValue]] | None = None

    def lookup(
        self, name: str, near: str, given: Callable[[str], bool] | None = None
    ) -> KeyValue | None:
        """The value of ``name`` in the config file nearest to ``near`` (the reading file);
        None when no file sets it, or the nearest files disagree. Files ``given`` to the
        reading workload (mounted into it, in its build context) come first: another
        deployment's copy of the config (``openshift/config/``) may say otherwise."""
        candidates = self._load().get(name)
        if not candidates:
            return None
        if given is not None:
            candidates = [found for found in candidates if given(found.file)] or candidates
        folder = Path(near).resolve().parent.parts

        def closeness(found: KeyValue) -> int:
            other = Path(found.file).resolve().parent.parts
            shared = 0
            while shared < min(len(folder), len(other)) and folder[shared] == other[shared]:
                shared += 1
            return shared

        best = max(closeness(found) for found in candidates)
        nearest = [found for found in candidates if closeness(found) == best]
        if len({found.value for found in nearest}) != 1:
            return None
        return nearest[0]

    def _load(self) -> dict[str, list[KeyValue]]:
        if self._values is None:
            self._values = {}
            for path in _config_files(self._roots):
                for entry in _read(path):
                    dotted = dotted_key(entry.key)
                    self._values.setdefault(dotted, []).append(
                        KeyValue(entry.value, path, entry.line, entry.column)
                    )
        return self._values


def _config_files(roots: Sequence[str]) -> Iterable[str]:
    from socklock.discover.code.config_files import ANALYSER
    from socklock.discover.code.scan import listed

    for path, analyser in listed(roots):
        if analyser is ANALYSER and path.lower().endswith(_FORMATS):
            yield path


def _read(path: str) -> Iterable[Entry]:
    from socklock.discover.code.config_files import read_entries

    try:
        return read_entries(path, Path(path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return []
