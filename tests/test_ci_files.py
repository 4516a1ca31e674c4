"""The CI integration files at the repository root: they parse, name commands and options
that exist, and the CI image passes socklock's own hardening rules."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from tests.conftest import REPO

from socklock._cli.main import cli


def _command(words: list[str]) -> tuple[click.Command, list[str]]:
    """The click command that ``socklock WORDS...`` runs, and the words after its name."""
    assert words[0] == "socklock"
    context = click.Context(cli)
    command: click.Command = cli
    rest = words[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        found = command.get_command(context, rest[0])
        assert found is not None, f"no command {rest[0]!r} in {' '.join(words)}"
        command, rest = found, rest[1:]
    assert not isinstance(command, click.Group), f"{' '.join(words)} names a group"
    return command, rest


def _options(command: click.Command) -> dict[str, click.Parameter]:
    return {
        opt: param
        for param in command.params
        if isinstance(param, click.Option)
        for opt in [*param.opts, *param.secondary_opts]
    }


def _check_options(command: click.Command, words: list[str]) -> None:
    options = _options(command)
    for word in words:
        if word.startswith("--"):
            assert word.split("=", 1)[0] in options, f"{command.name} has no option {word}"


def test_pre_commit_hooks_run_commands_that_exist() -> None:
    hooks: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["socklock-harden", "socklock-policy-verify"]
    for hook in hooks:
        assert hook["language"] == "python"
        assert {"id", "name", "entry", "language"} <= hook.keys()
        command, rest = _command(shlex.split(hook["entry"]))
        assert rest == []
        _check_options(command, list(hook.get("args", [])))
    assert [_command(shlex.split(h["entry"]))[0].name for h in hooks] == ["harden", "verify"]


def test_action_is_composite_and_runs_scan_with_its_inputs() -> None:
    action: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert {"path", "out-dir", "fail-on", "upload-sarif"} <= action["inputs"].keys()
    steps = action["runs"]["steps"]
    scripts = "\n".join(s["run"] for s in steps if "run" in s)
    assert 'pip install --no-deps "$GITHUB_ACTION_PATH"' in scripts  # from the action's path
    assert "$GITHUB_ACTION_PATH/requirements.txt" in scripts
    assert (REPO / "requirements.txt").is_file()
    invocations = re.findall(r"^\s*(socklock [^|\n]*?)(?: \|\|.*)?$", scripts, re.M)
    assert invocations == [
        'socklock scan "$SOCKLOCK_PATH" --out-dir "$SOCKLOCK_OUT_DIR" --fail-on "$SOCKLOCK_FAIL_ON"'
    ]
    command, rest = _command(shlex.split(invocations[0]))
    assert command.name == "scan"
    _check_options(command, rest)
    fail_on = _options(command)["--fail-on"]
    assert isinstance(fail_on.type, click.Choice)
    assert action["inputs"]["fail-on"]["default"] in fail_on.type.choices
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/")]
    assert [u["uses"].split("@")[0] for u in uploads] == ["github/codeql-action/upload-sarif"]
    assert "inputs.upload-sarif" in uploads[0]["if"]  # optional
    assert steps.index(uploads[0]) < len(steps) - 1  # uploaded before the job fails
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"]  # inputs reach scripts through env, not the text


def test_the_ci_image_passes_socklocks_own_rules() -> None:
    result = CliRunner().invoke(
        cli,
        ["harden", str(REPO / "Dockerfile"), "--format", "json", "--fail-on", "info"],
        standalone_mode=False,
        catch_exceptions=False,
    )
    assert result.return_value == 0
    document = json.loads(result.stdout)
    assert document["findings"] == []
    assert {"SLK301", "SLK302", "SLK303", "SLK308"} <= set(document["rules"])


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0,
    reason="no container engine here",
)
def test_the_ci_image_builds_and_runs(tmp_path: Path) -> None:  # pragma: no cover
    tag = "socklock-ci-test:latest"
    subprocess.run(["docker", "build", "-t", tag, str(REPO)], check=True)
    done = subprocess.run(
        ["docker", "run", "--rm", tag, "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("socklock, version ")
