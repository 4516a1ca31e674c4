"""One image, several services: each service's ``command:`` runs its own entry point, so the
entry point's code belongs to that service, not to whichever shares the build context.

A command word names code by module (``python -m app.orders``), by path
(``node services/orders.js``, ``/app/bin/worker.py``), by class (``java -cp app.jar
com.shop.OrdersMain``) or by a directory or file named like it (``./orders`` → ``cmd/orders``).
The word is looked up under the shared build context; a path inside the image (``/app/x.py``)
is tried without its leading directories.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from socklock.discover.commands import simple_commands, words
from socklock.load.shell_lines import logical_lines
from socklock.model import Dockerfile, Inventory

_SOURCE_SUFFIXES = (
    ".py",
    ".js",
    ".mjs",
    ".cjs",
    ".ts",
    ".go",
    ".java",
    ".kt",
    ".rb",
    ".php",
    ".cs",
)
_PROGRAMS = frozenset(
    {
        "python",
        "python3",
        "node",
        "java",
        "go",
        "run",
        "dotnet",
        "ruby",
        "php",
        "sh",
        "bash",
        "-m",
        "-c",
        "-cp",
        "-jar",
        "exec",
        "npm",
        "yarn",
        "start",
        "uvicorn",
        "gunicorn",
        "celery",
    }
)


def shared_image_commands(
    inventory: Inventory, aliases: dict[str, str], context_of: dict[str, Path]
) -> Iterator[tuple[Path, str, str, tuple[str, ...], str]]:
    """(file or directory, graph id, why, the command's words, the image or build they
    share) for each entry point of a shared image's services.

    ``context_of``: graph id → its build context directory, for services built elsewhere
    (a Kubernetes workload's image built from a Dockerfile the attribution found). A
    workload that keeps the image's command runs its Dockerfile's CMD; a command's
    ``$VAR`` is the workload's env value (else the Dockerfile's ``ENV``), and ``npm run
    NAME`` runs the package's script ``NAME`` (``npm run $NPM_RUN_COMMAND``, each workload
    picking its script by env).
    """
    groups: dict[str, list[tuple[str, list[str], Path | None, dict[str, str]]]] = defaultdict(list)
    dockerfiles = {str(Path(d.path).resolve()): d for d in inventory.dockerfiles}
    for project in inventory.compose_projects:
        for service in project.services:
            graph_id = aliases.get(service.id, service.id)
            key = service.build_context or service.image
            context = (
                Path(service.build_context) if service.build_context else context_of.get(graph_id)
            )
            built = str(context) if context is not None else None
            dockerfile = _dockerfile(built, service.dockerfile, dockerfiles)
            line = [
                *_as_words(service.body.get("entrypoint")),
                *_as_words(service.body.get("command")),
            ] or _dockerfile_line(dockerfile)
            env = {
                **_dockerfile_env(dockerfile),
                **_env_file_values(service.env_files, inventory.roots),
                **_given(service.environment),
            }
            if key and line:
                groups[f"{project.file}|{key}"].append((graph_id, line, context, env))
    for workload in inventory.workloads:
        if workload.owner is not None:
            continue
        context = context_of.get(workload.id)
        own = _dockerfile(str(context), None, dockerfiles) if context else None
        for container in workload.containers:
            if container.role.value != "containers":
                continue
            line = [
                *_as_words(container.run.get("command")),
                *_as_words(container.run.get("args")),
            ] or _dockerfile_line(own)
            env = {**_dockerfile_env(own), **_given(container.env)}
            if container.image and line:
                groups[container.image.split("@")[0]].append((workload.id, line, context, env))
    for key, members in groups.items():
        if len({graph_id for graph_id, _, _, _ in members}) < 2:
            continue
        contexts = [c for _, _, c, _ in members if c is not None]
        for graph_id, line, context, env in members:
            directory = context or (contexts[0] if contexts else None)
            if directory is None:
                continue
            for found, why in _line_entries(line, env, directory.resolve()):
                yield found, graph_id, f"{why} of {graph_id} runs it", tuple(line), key


def compose_command_lines(inventory: Inventory, aliases: Mapping[str, str]) -> dict[str, list[str]]:
    """Graph id → the words each compose service runs: its ``entrypoint`` and ``command``,
    else its Dockerfile's ENTRYPOINT and CMD (none when neither is known)."""
    dockerfiles = {str(Path(d.path).resolve()): d for d in inventory.dockerfiles}
    lines: dict[str, list[str]] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            dockerfile = _dockerfile(service.build_context, service.dockerfile, dockerfiles)
            line = [
                *_as_words(service.body.get("entrypoint")),
                *_as_words(service.body.get("command")),
            ] or _dockerfile_line(dockerfile)
            if line:
                lines[aliases.get(service.id, service.id)] = line
    return lines


def _line_entries(
    line: list[str], env: Mapping[str, str], context: Path, depth: int = 2
) -> Iterator[tuple[Path, str]]:
    """(file or directory, why) of each entry point a command line names, in order; a
    shell script it names is followed by the entry points of the command the script ends
    in (``./bin/run-prod.sh`` → ``exec gunicorn --config wsgi/config.py`` →
    ``wsgi/config.py``): :mod:`socklock.discover.script_programs`; ``depth``: scripts that
    run scripts."""
    from socklock.discover.script_programs import script_command
    from socklock.load.shell_lines import is_shell_script

    for word, folder in run_words_of(line, env, context):
        for found in entry_paths(word, folder) or entry_paths(word, context):
            yield found, f"command word {word!r}"
            if depth > 0 and found.is_file() and is_shell_script(str(found)):
                command = script_command(found, env)
                for inner, why in _line_entries(command, env, context, depth - 1):
                    yield inner, f"{why} of {found.name}"


_DEPTH = 4  # package scripts that run package scripts


def run_words_of(
    line: list[str], env: Mapping[str, str], context: Path, depth: int = _DEPTH
) -> Iterator[tuple[str, Path]]:
    """The words a command line runs, each with the folder it is relative to: ``$VAR``
    expanded from ``env`` (a word naming an unknown variable is left out), and ``npm run
    NAME`` replaced by the words of the package's script (relative to its package.json's
    folder). A TypeScript package's ``node worker.js`` runs the compiled
    ``src/worker.ts``: see :func:`entry_paths`."""
    from socklock.discover.package_scripts import PACKAGE_MANAGERS, package_script, script_name

    for command in simple_commands([_substituted(w, env) or "" for w in line]):
        while command and (
            command[0].rsplit("/", 1)[-1] in _SHELLS | _WRAPPERS or command[0] == "-c"
        ):
            command = command[1:]  # ``sh -c "npm run $X"``: the script's command
        program = command[0].rsplit("/", 1)[-1] if command else ""
        name = script_name(command[1:]) if program in PACKAGE_MANAGERS else None
        script = package_script(context, name) if name is not None and depth > 0 else None
        if script is not None:
            folder, text = script
            for word, inner in run_words_of(words(text), env, folder, depth - 1):
                yield word, inner
            continue
        if loaded := _env_loaded(command, env):
            yield from ((word, context) for word in loaded)
            continue
        for word in command:
            if word:
                yield word, context


# runners that load the entry files an env variable lists, in place of the ones their command
# line names: program → (the variable listing them, the variable of the directory they are
# relative to, the file a bare name is). Moleculer's runner (moleculer src/runner.js
# loadServices): ``SERVICES=api,users`` loads ``$SERVICEDIR/api.service.js`` and its kin,
# each node of one image running the services its env lists.
_ENV_LOADERS = {"moleculer-runner": ("SERVICES", "SERVICEDIR", "{}.service.js")}


def _env_loaded(command: list[str], env: Mapping[str, str]) -> list[str]:
    """The entry files an env-listing runner of ``command`` loads (:data:`_ENV_LOADERS`):
    none for another program or when its variable is not set."""
    program = next(
        (
            name
            for word in command
            if (name := word.rsplit("/", 1)[-1].removesuffix(".js")) in _ENV_LOADERS
        ),
        None,
    )
    if program is None:
        return []
    listing, folder, pattern = _ENV_LOADERS[program]
    names = [n.strip() for n in env.get(listing, "").split(",") if n.strip()]
    directory = env.get(folder, "").strip().rstrip("/")
    found: list[str] = []
    for name in names:
        if name.startswith(("!", "npm:")) or "*" in name:
            continue  # a skipped service, a package's or a glob: no one file of the build
        path = f"{directory}/{name}" if directory and not name.startswith("/") else name
        found.append(path if path.endswith(_SOURCE_SUFFIXES) else pattern.format(path))
    return found


_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _substituted(word: str, env: Mapping[str, str]) -> str | None:
    """``word`` with each ``$VAR``/``${VAR}`` replaced by its env value; None when one is
    not known (no file of the build is named then)."""
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in env:
            missing.append(name)
            return ""
        return env[name]

    out = _VARIABLE.sub(one, word)
    return None if missing else out


def _env_file_values(files: tuple[str, ...], roots: Sequence[str]) -> dict[str, str]:
    """Name → value of what a compose service's ``env_file`` files set (a missing file's
    committed template: :func:`~socklock.load.env_files.read_env_file`), later files
    winning."""
    from socklock.load.env_files import read_env_file

    found: dict[str, str] = {}
    for file in files:
        top = next(
            (r for r in roots if Path(file).resolve().is_relative_to(Path(r).resolve())), None
        )
        read = read_env_file(file, top, _text)
        found.update((n, e.value) for n, e in read.entries.items() if e.value is not None)
    return found


def _text(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _given(env: object) -> dict[str, str]:
    """Name → value of a compose service's or a container's env entries that have one."""
    return {e.name: e.value for e in env if e.value is not None}  # type: ignore[attr-defined]


def _dockerfile_env(dockerfile: Dockerfile | None) -> dict[str, str]:
    """The final stage's ``ENV`` values: a command's variables when the deployment gives
    none."""
    from socklock.discover.build_programs import env_pairs

    found: dict[str, str] = {}
    for instruction in dockerfile.final_stage() if dockerfile is not None else ():
        if instruction.keyword == "ENV":
            found.update(env_pairs(instruction.value))
    return found


def _dockerfile(
    context: str | None, dockerfile: str | None, dockerfiles: Mapping[str, Dockerfile]
) -> Dockerfile | None:
    """The Dockerfile a service builds with (``build.dockerfile`` under its context, else
    ``Dockerfile``), if the input has it."""
    if context is None:
        return None
    return dockerfiles.get(str((Path(context) / (dockerfile or "Dockerfile")).resolve()))


def _dockerfile_line(found: Dockerfile | None) -> list[str]:
    """The words the final stage's ENTRYPOINT then CMD run, of the Dockerfile a service
    builds with: one context built by several Dockerfiles (``Dockerfile.publisher``,
    ``Dockerfile.api``) runs a different entry point in each; none when the service builds
    nothing."""
    if found is None:
        return []
    final = found.final_stage()
    line: list[str] = []
    for keyword in ("ENTRYPOINT", "CMD"):
        last = next((i for i in reversed(final) if i.keyword == keyword), None)
        if last is not None:
            line.extend(_as_words(exec_form(last.value)))
    return line


def exec_form(value: str) -> str | list[str]:
    """A CMD/ENTRYPOINT's exec form (a JSON list) as its words, else the shell form."""
    if value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, list):
            return [str(item) for item in parsed]
    return value


_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_WRAPPERS = frozenset({"exec", "tini", "dumb-init", "env", "--", "nohup", "gosu", "su-exec"})


def program_name(line: list[str]) -> str | None:
    """The executable a command line runs, by its file name (``/usr/local/bin/Orders`` →
    ``Orders``; ``sh -c "exec Orders --port 9"`` → ``Orders``), or None for an interpreter
    (``python -m x``: the module is the code, see :func:`entry_paths`) or an empty line.

    A build target of that name (a CMake ``add_executable``) is the service's code."""
    words = [w for w in line if w and "=" not in w.split("/")[0]]  # ``VAR=x cmd``
    while words and (words[0] in _WRAPPERS or words[0].startswith("-")):
        words = words[1:]
    if not words:
        return None
    name = words[0].rsplit("/", 1)[-1]
    if name in _SHELLS:
        return _script_program(words)
    if name in _PROGRAMS or not name or "$" in name:
        return None
    return name


def _script_program(words: list[str]) -> str | None:
    """``sh -c "<script>"``: the program the script ``exec``s, or its one command."""
    if "-c" not in words[:-1]:
        return None
    segments = list(simple_commands(words[words.index("-c") + 1 :]))
    chosen = [s for s in segments if s[0] == "exec"] or (segments if len(segments) == 1 else [])
    return program_name(chosen[0]) if chosen else None


def command_line(body: Mapping[str, object], entry: str, arguments: str) -> list[str]:
    """The words a service or container runs: its entry point, else its command."""
    line = _as_words(body.get(entry))
    return line or _as_words(body.get(arguments))


def run_words(body: dict[str, object]) -> list[str]:
    """Every word a compose service runs: its entry point, command and healthcheck test."""
    healthcheck = body.get("healthcheck")
    test = healthcheck.get("test") if isinstance(healthcheck, dict) else None
    return [*_as_words(body.get("entrypoint")), *_as_words(body.get("command")), *_as_words(test)]


def _as_words(value: object) -> list[str]:
    if isinstance(value, str):
        return words(value)
    if isinstance(value, list):
        return words([str(v) for v in value])
    return []


# ``uvicorn app:api``, ``gunicorn shop.wsgi:application``, ``hypercorn main:create_app()``
_APP_OBJECT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*(?:\(\))?$")


def entry_paths(word: str, context: Path) -> list[Path]:
    """Files or directories under ``context`` that ``word`` names (``app:api``, the
    ``module:attribute`` of an ASGI/WSGI server, names its module)."""
    if not word.strip("./") or word.startswith("-") or word in _PROGRAMS or "=" in word:
        return []  # ``go run .``: the context itself, no one entry point in it
    if _APP_OBJECT.match(word):
        word = word.split(":", 1)[0]
    candidates: list[str] = []
    path = word.lstrip("./")
    parts = Path(path).parts
    candidates.extend(str(Path(*parts[i:])) for i in range(len(parts)))  # /app/x.py → x.py
    if "/" not in word and "." in word and not word.endswith(_SOURCE_SUFFIXES):
        dotted = word.replace(".", "/")  # python module or JVM class
        candidates.extend((dotted, dotted + ".py"))
        if "/" in dotted:  # ``celery -A proj.tasks.app``: module ``proj.tasks``, its ``app``
            candidates.append(dotted.rsplit("/", 1)[0] + ".py")
        classes = _class_files(word, context)
        if classes:
            return classes
    found: list[Path] = []
    for candidate in dict.fromkeys(candidates):
        target = context / candidate
        for option in (
            target,
            target.with_name(target.name + ".py"),
            target.with_name(target.name + ".js"),
            *_typescript_sources(context, candidate),
        ):
            if (
                option.exists()
                and option.resolve().is_relative_to(context)
                and option.resolve() != context
            ):
                found.append(option.resolve())
                break
        if found:
            return found
    if "/" not in word and "." not in word:
        for directory in (
            context / "cmd" / word,
            context / "bin" / word,
            context / "services" / word,
        ):
            if directory.exists():
                return [directory.resolve()]
    return []


def _typescript_sources(context: Path, candidate: str) -> list[Path]:
    """The TypeScript a compiled ``worker.js`` comes from: ``worker.ts`` beside it, or
    under ``src/`` (``tsc`` writes ``src/worker.ts`` to ``<outDir>/worker.js``, and the
    image runs the output); none for a word that names no JavaScript file."""
    path = Path(candidate)
    if path.suffix not in (".js", ".mjs", ".cjs"):
        return []
    return [
        context / root / path.with_suffix(suffix)
        for root in (".", "src")
        for suffix in (".ts", ".tsx")
    ]


def _class_files(word: str, context: Path) -> list[Path]:
    """``com.shop.OrdersMain`` → ``**/com/shop/OrdersMain.{java,kt,scala}``."""
    relative = word.replace(".", "/")
    for suffix in (".java", ".kt", ".scala"):
        for root in ("src/main/java", "src/main/kotlin", "src/main/scala", "src", "."):
            path = context / root / (relative + suffix)
            if path.is_file():
                return [path.resolve()]
    return []


_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*?)\s*$")
_SELF_DEFAULT = re.compile(r"^\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*):?-(?P<default>[^}]*)\}$")
MAX_SCRIPT_BYTES = 64 * 1024


def script_of(word: str, dockerfile_dir: Path, module: Path) -> Path | None:
    """The shell script an image's CMD/ENTRYPOINT word runs (``/app/run.sh``): beside the
    Dockerfile, under the build context by its path, else the one file of its name in the
    module (a build that copies it into the image from ``src/main/resources``)."""
    if not word.endswith(".sh"):
        return None
    name = Path(word).name
    beside = dockerfile_dir / name
    if beside.is_file():
        return beside
    found = [p for p in entry_paths(word, module.resolve()) if p.is_file()]
    if found:
        return found[0]
    if not module.is_dir():
        return None
    named = [p for p in module.rglob(name) if p.is_file()]
    return named[0] if len(named) == 1 else None


def script_text(script: Path) -> str:
    """The script's text (its first ``MAX_SCRIPT_BYTES``), empty when it cannot be read: the
    one read of an image's script, for every pass that reads its lines."""
    try:
        with script.open("rb") as handle:
            return handle.read(MAX_SCRIPT_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def script_reads(text: str) -> set[str]:
    """Variables a shell script takes from the environment and hands on to what it starts:
    ``NAME="${NAME:-default}"`` (the env's value, else the default), the idiom of an
    entry point that turns its env into the program's settings."""
    out: set[str] = set()
    for line in text.splitlines():
        match = _ASSIGNMENT.match(line)
        own = _SELF_DEFAULT.match(match.group(2).strip("\"'")) if match else None
        if match is not None and own is not None and own["name"] == match.group(1):
            out.add(match.group(1))
    return out


def script_settings(text: str) -> dict[str, tuple[str, int]]:
    """Variables a shell script sets (name → value, 1-based line): ``NAME=value`` and
    ``NAME=${NAME:-default}``, whose value is the default (the env, when set, comes first)."""
    settings: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ASSIGNMENT.match(line)
        if match is None:
            continue
        name, value = match.group(1), match.group(2).strip("\"'")
        own = _SELF_DEFAULT.match(value)
        if own is not None and own["name"] == name:
            value = own["default"].strip("\"'")
        if "$" not in value and "`" not in value:
            settings[name] = (value, number)
    return settings


_REFERENCE = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)
_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")
_OPENERS = frozenset({"if", "case"})
_CLOSERS = frozenset({"fi", "esac"})


def script_environment(text: str, env: Mapping[str, str]) -> dict[str, tuple[str, int]]:
    """What a shell entry point leaves in the environment of the program it ``exec``s, in
    order: ``export A=${A:-api:80}`` (the env first), ``B="server ${A};"`` (expanded from
    what is known so far). An assignment inside a conditional only sets a variable the
    script has not set yet (the first branch met wins; conditions are not evaluated). A
    value from a command (``$(...)``, backticks, arithmetic) or naming an unknown variable
    is not known, and left unset."""
    values: dict[str, tuple[str, int]] = {}
    known = dict(env)
    branches: list[bool] = []  # per open conditional: in a later branch
    heredoc: str | None = None
    for number, line in logical_lines(text):
        if heredoc is not None:
            heredoc = None if line == heredoc else heredoc
            continue
        marker = _HEREDOC.search(line)
        if marker is not None:
            heredoc = marker.group(1)
        first = line.split(maxsplit=1)[0].rstrip(";") if line else ""
        if first in _OPENERS:
            branches.append(False)
        elif first in ("else", "elif") and branches:
            branches[-1] = True
        elif first in _CLOSERS and branches:
            branches.pop()
        match = _ASSIGNMENT.match(line.removeprefix("then ").removeprefix("else "))
        if match is None or line.startswith("#"):
            continue
        name, value = match.group(1), _unquote(match.group(2))
        if value is None or (branches and name in values):
            continue
        expanded = _expand(value, known)
        if expanded is not None:
            values[name] = (expanded, number)
            known[name] = expanded
    return values


def _unquote(value: str) -> str | None:
    """The assigned text: quotes removed, a trailing comment dropped; None for a command's
    output or arithmetic."""
    value = value.strip().rstrip(";").strip()
    if value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) > 1:
        value = value[1:-1]
    else:
        value = value.split(" #", 1)[0].strip()
    if "$(" in value or "`" in value:
        return None
    return value


def _expand(value: str, known: Mapping[str, str]) -> str | None:
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        name, default = match.group(1) or match.group(3), match.group(2)
        if name in known and (known[name] or default is None):
            return known[name]
        if default is not None and "$" not in default:
            return default.strip("\"'")
        missing.append(name)
        return ""

    expanded = _REFERENCE.sub(one, value)
    return None if missing else expanded
