"""An image's shell entry point prepares the proxy's config: the variables it exports
(``export API=${API:-api:80}``) fill the templates, and its ``envsubst < /tmp/a.template >
/etc/nginx/nginx.conf`` lines say which files of the image become config.

The script is the file the image's final ``ENTRYPOINT``/``CMD`` runs, found through the
build's ``COPY`` (``COPY files/run.sh /entrypoint.sh``) or beside the Dockerfile.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from socklock.discover.entrypoints import script_environment, script_of, script_text
from socklock.discover.proxies.images import (
    Build,
    context_relative,
    image_file,
    instruction_words,
)
from socklock.load.shell_lines import logical_lines

# ``envsubst < SRC > DST``, also with its SHELL-FORMAT argument after the input redirection
# (``envsubst < SRC '${A},${B}' > DST``)
_ENVSUBST = re.compile(
    r"\benvsubst\b[^<>\n]*<\s*(\S+)(?:\s+(?:'[^'\n]*'|\"[^\"\n]*\"|[^<>\s'\"]+))*\s*>\s*(\S+)"
)
# Go template renderers: jitsi's ``tpl SRC > DST``, ``gomplate -f SRC -o DST``, ``gomplate <
# SRC > DST``
_GO_RENDER = re.compile(
    r"(?:^|[;&|(]\s*)(?:tpl\s+(\S+)\s*>>?\s*(\S+)"
    r"|gomplate\s+(?:-f|--file)\s+(\S+)\s+(?:-o|--out)\s+(\S+)"
    r"|gomplate\s*<\s*(\S+)\s*>>?\s*(\S+))"
)
# where s6-overlay and the official images' entry points look for start-up scripts
_STARTUP_DIRS = (
    "/etc/s6-overlay/",
    "/etc/cont-init.d/",
    "/etc/services.d/",
    "/docker-entrypoint.d/",
)
MAX_STARTUP_FILES = 200


@dataclass(frozen=True, slots=True)
class Rendered:
    """A template of the image the script renders to ``container`` (where the proxy reads
    it), written at ``line`` of ``script``."""

    template: Path
    container: str
    script: Path
    line: int
    go: bool = False  # a Go template (``{{ .Env.X }}``), not an envsubst one


def entry_script(build: Build) -> Path | None:
    """The shell script the image's final ``ENTRYPOINT`` (else ``CMD``) runs."""
    for keyword in ("ENTRYPOINT", "CMD"):
        chosen = [i for i in build.instructions if i.keyword == keyword]
        if not chosen:
            continue
        for word in instruction_words(chosen[-1].value):
            if not word.endswith(".sh"):
                continue
            found = image_file(build, word) if word.startswith("/") else None
            found = found or script_of(word, build.home, build.contexts[0])
            if found is not None:
                return found
        return None
    return None


def script_env(build: Build, env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with what the entry point exports before the proxy starts."""
    script = entry_script(build)
    if script is None:
        return dict(env)
    values = script_environment(script_text(script), env)
    return {**env, **{name: value for name, (value, _) in values.items()}}


def rendered(build: Build) -> Iterator[Rendered]:
    """The templates the entry point renders with ``envsubst``, as files of the tree."""
    script = entry_script(build)
    if script is None:
        return
    for number, line in logical_lines(script_text(script)):
        if line.startswith("#"):
            continue
        for match in _ENVSUBST.finditer(line):
            source, container = match.group(1).strip("\"'"), match.group(2).strip("\"'")
            if "$" in source or "$" in container:
                continue
            template = image_file(build, source) if source.startswith("/") else None
            if template is not None:
                yield Rendered(template, container, script, number)


def go_rendered(build: Build) -> Iterator[Rendered]:
    """The Go templates the image's start-up scripts (its entry point, s6-overlay's and the
    ``/docker-entrypoint.d`` scripts it ships) render into config."""
    script = entry_script(build)
    scripts = [script] if script is not None else []
    scripts += [path for path in startup_scripts(build) if path != script]
    for path in scripts:
        for number, line in logical_lines(script_text(path)):
            if line.startswith("#"):
                continue
            for match in _GO_RENDER.finditer(line):
                pair = [g for g in match.groups() if g is not None]
                source, container = pair[0].strip("\"'"), pair[1].strip("\"'")
                if "$" in source or "$" in container or not source.startswith("/"):
                    continue
                template = image_file(build, source)
                if template is not None:
                    yield Rendered(template, container, path, number, go=True)


def startup_scripts(build: Build) -> list[Path]:
    """Files of the tree the build copies under a start-up scripts directory."""
    found: list[Path] = []
    for instruction in build.instructions:
        if instruction.keyword not in ("COPY", "ADD") or "--from" in instruction.value:
            continue
        words = instruction_words(instruction.value)
        if len(words) < 2:
            continue
        destination = words[-1].rstrip("/") + "/"
        for source in words[:-1]:
            for base in build.contexts:
                path = base / context_relative(source)
                if path.is_file() and destination.startswith(_STARTUP_DIRS):
                    found.append(path)
                if not path.is_dir():
                    continue
                for folder in _STARTUP_DIRS:  # only the part that lands in one of them
                    if destination.startswith(folder):
                        below = path
                    elif folder.startswith(destination):
                        below = path / folder.removeprefix(destination)
                    else:
                        continue
                    found.extend(p for p in sorted(below.rglob("*")) if p.is_file())
                    if len(found) > MAX_STARTUP_FILES:
                        return found[:MAX_STARTUP_FILES]
    return found
