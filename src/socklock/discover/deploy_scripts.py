"""What a deploy shell script applies: which manifest files, in which namespace.

Many repositories deploy with a script of ``kubectl apply -f app.yaml -n shop`` lines
rather than a kustomization. The script is then the deployment: it names the files that
form it, and the namespace each file's objects land in when they set none themselves.
Lines are read by the project's one script reader
(:func:`socklock.load.shell_lines.commands`); ``kubectl``/``oc`` ``apply``,
``create`` and ``replace`` with ``-f``/``--filename`` (files, directories, ``-R``) or
``-k``/``--kustomize`` count, with ``-n``/``--namespace`` anywhere on the line.

Variables resolve only from assignments earlier in the same script (``NS=shop``,
``export NS=shop``, ``${NS:-shop}`` defaults, and ``DIR=$(dirname "$0")``, the script's own
directory), outside any ``if``/``case``/loop: one assigned on a branch has no one value; a
line whose file or namespace needs anything else is one warning naming
``file:line`` and is left out, never guessed. Relative paths are read from the directory
the script ``cd``s to, else its own directory, else the nearest one above it (up to the
input's root) where the path exists.
"""

# ruff: noqa: PTH100, PTH110, PTH118, PTH119, PTH120, PTH123
# (string paths, as the walk gives them)

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from socklock.load.shell_lines import ScriptState, commands
from socklock.model import Diagnostic, DiagnosticLevel, Location

MAX_SCRIPT_BYTES = 1 << 20
_SUFFIXES = (".sh", ".bash")
_CLIENTS = frozenset({"kubectl", "oc"})
_VERBS = frozenset({"apply", "create", "replace"})
# kubectl flags that take a value as the next word (so it is not read as the verb)
_VALUED = frozenset(
    {
        "--context",
        "--kubeconfig",
        "--cluster",
        "--user",
        "--server",
        "-s",
        "--token",
        "--as",
        "-l",
        "--selector",
        "-o",
        "--output",
        "--field-manager",
        "--timeout",
        "--request-timeout",
        "--prune-allowlist",
        "--cascade",
        "--dry-run",
    }
)
# DIR=$(dirname "$0"), DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)": the script's own
_SCRIPT_DIR = re.compile(
    r"^\s*(?:export\s+|readonly\s+|local\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)=[\"']?\$\("
    r".*dirname\s+[\"']?\$(?:0\b|\{0\}|\{?BASH_SOURCE)[^|;]*$"
)
_HEREDOC = re.compile(r"(?<!<)<<(?!<)-?\s*[\"']?(?P<tag>[A-Za-z_][A-Za-z0-9_]*)[\"']?")


@dataclass(frozen=True, slots=True)
class Applied:
    """One file, directory or kustomization a script applies."""

    target: str  # absolute, normalised
    namespace: str | None  # -n/--namespace of the line; None: as the objects say
    kustomize: bool  # -k: the kustomization in ``target`` is rendered
    recursive: bool  # -R: a directory's files at any depth
    location: Location  # the script's line


@dataclass(frozen=True, slots=True)
class DeployScript:
    file: str  # absolute path of the script
    applied: tuple[Applied, ...]
    diagnostics: tuple[Diagnostic, ...]  # lines left out (unresolved variables, ...)


def is_script_name(name: str) -> bool:
    return name.endswith(_SUFFIXES)


def read_script(path: str, shown: str, root: str) -> DeployScript:
    """What the script at ``path`` (``shown`` in messages) applies; ``root`` is the
    input's root, where a path not found beside the script is looked for."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SCRIPT_BYTES + 1)
    except OSError as exc:
        return DeployScript(
            os.path.abspath(path), (), (Diagnostic(Location(shown), f"cannot read: {exc}"),)
        )
    if b"kubectl" not in data and b"oc " not in data:
        return DeployScript(os.path.abspath(path), (), ())
    text = data[:MAX_SCRIPT_BYTES].decode("utf-8", "replace")
    reader = _Reader(os.path.abspath(path), shown, os.path.abspath(root))
    for number, words in commands(reader.wanted(_logical_lines(text)), reader.state, reader.nested):
        reader.command(number, words)
    return DeployScript(reader.file, _one_namespace(reader.applied), tuple(reader.diagnostics))


def _one_namespace(applied: list[Applied]) -> tuple[Applied, ...]:
    """A script whose lines name one namespace (``kubectl create -f svc.yml -n shop``)
    but for a few that name none (``kubectl apply -f deploy.yml``) runs those in that
    namespace too: the current context's, which the app needs to be it (a Service selects
    pods of its own namespace only). Lines naming several namespaces are left as written."""
    named = {a.namespace for a in applied if a.namespace is not None}
    if len(named) != 1:
        return tuple(applied)
    (namespace,) = named
    return tuple(
        a if a.namespace is not None else dataclasses.replace(a, namespace=namespace)
        for a in applied
    )


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each command line: continuations joined, here-document
    bodies left out (they are input, not commands)."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index + 1
        logical = lines[index]
        while logical.endswith("\\") and index + 1 < len(lines):
            index += 1
            logical = logical[:-1] + " " + lines[index]
        index += 1
        heredoc = _HEREDOC.search(logical)
        if heredoc is not None:
            logical = logical[: heredoc.start()]
            while index < len(lines) and lines[index].strip() != heredoc["tag"]:
                index += 1
            index += 1
        yield start, logical


class _Reader:
    """The state of one script while its lines are read: variables, working directory."""

    def __init__(self, file: str, shown: str, root: str) -> None:
        self.file, self.shown, self.root = file, shown, root
        self.state = ScriptState(file)  # variables, working directory, if/loop depth
        self.applied: list[Applied] = []
        self.diagnostics: list[Diagnostic] = []

    def wanted(self, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        """The lines that may apply a file or set what one needs; a line that sets the
        script's own directory (``DIR=$(dirname "$0")``) is taken here, in its turn."""
        for number, text in lines:
            if (
                not any(client in text for client in _CLIENTS)
                and "=" not in text
                and "cd" not in text
            ):
                continue
            own = _SCRIPT_DIR.match(text)
            if own is not None:
                self.state.variables[own["name"]] = os.path.dirname(self.file)
                continue
            yield number, text

    def nested(self, number: int) -> None:
        """A line whose quotes nest past any real script's."""
        self.diagnostics.append(
            Diagnostic(Location(self.shown, number), "quotes nested too deep: not read")
        )

    def command(self, number: int, words: list[str]) -> None:
        words, _ = self.state.command(words)
        if len(words) > 1 and os.path.basename(words[0]) in {"microk8s", "k3s", "minikube"}:
            words = [w for w in words[1:] if w != "--"]
        if words and os.path.basename(words[0]) in _CLIENTS:
            self._kubectl(number, words[1:])

    def _expand(self, word: str) -> str | None:
        return self.state.expand(word)

    def _kubectl(self, number: int, args: list[str]) -> None:
        verb: str | None = None
        namespace: str | None = None
        targets: list[tuple[str, bool]] = []  # (as written, kustomize)
        recursive = False
        index = 0
        while index < len(args):
            word = args[index]
            flag, eq, inline = word.partition("=")
            value = inline if eq else (args[index + 1] if index + 1 < len(args) else "")
            step = 1 if eq else 2
            if flag in ("-n", "--namespace"):
                namespace, index = value, index + step
            elif flag in ("-f", "--filename", "-k", "--kustomize"):
                kustomize = flag in ("-k", "--kustomize")
                targets.extend((t, kustomize) for t in value.split(",") if t)
                index += step
            elif word.startswith("-n") and len(word) > 2 and not word.startswith("--"):
                namespace, index = word[2:], index + 1
            elif word in ("-R", "--recursive"):
                recursive, index = True, index + 1
            elif flag in _VALUED and not eq:
                index += 2
            elif word.startswith("-"):
                index += 1
            else:
                verb = verb or word
                index += 1
        if verb not in _VERBS or not targets:
            return
        where = Location(self.shown, number)
        shown_ns = None
        if namespace is not None:
            shown_ns = self._expand(namespace)
            if shown_ns is None:
                self._unresolved(where, namespace)
                return
        for written, kustomize in targets:
            if written == "-" or "://" in written:
                continue  # standard input (a here-document) or a URL: nothing of the tree
            path = self._expand(written)
            if path is None:
                self._unresolved(where, written)
                continue
            found = self._resolve(path)
            if found is None:
                self.diagnostics.append(
                    Diagnostic(
                        where,
                        f"kubectl {verb} names {written}, which is not there; "
                        "left out of this script's deployment",
                        DiagnosticLevel.WARNING,
                    )
                )
                continue
            self.applied.append(Applied(found, shown_ns, kustomize, recursive, where))

    def _resolve(self, path: str) -> str | None:
        """``path`` from where the script runs: the directory it ``cd``s to, else its own,
        else one above it up to the input's root (``Chapter1/k8s/deploy.sh`` run from
        ``Chapter1``), the nearest first."""
        for directory in (self.state.cwd, *self._upwards()):
            candidate = os.path.normpath(os.path.join(directory, path))
            if os.path.exists(candidate):
                return candidate
        return None

    def _upwards(self) -> Iterator[str]:
        directory = os.path.dirname(self.file)
        while True:
            yield directory
            if directory == self.root or not directory.startswith(self.root + os.sep):
                return
            directory = os.path.dirname(directory)

    def _unresolved(self, where: Location, written: str) -> None:
        names = sorted(set(re.findall(r"\$\{?([A-Za-z_0-9]+)", written)))
        why = (
            f"needs {', '.join('$' + n for n in names)}, which this script does not set"
            if names
            else "is known only when the script runs"
        )
        self.diagnostics.append(
            Diagnostic(
                where,
                f"{written} {why}; the line is left out of its deployment",
                DiagnosticLevel.WARNING,
            )
        )
