"""How the program ends (``socklock._cli.ending``): what a normal exit does that can be seen
(buffered output written, exit handlers run, the exit code), without finalizing; the normal
exit when another thread runs or when nothing armed it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

from socklock._cli import ending

POLICY = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers: [{name: web, image: web:1, ports: [{containerPort: 80}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
"""


def _python(script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered stdout
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )


def test_armed_end_flushes_runs_exit_handlers_and_keeps_the_code() -> None:
    done = _python(
        "import atexit, sys\n"
        "from socklock._cli import ending\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "ending.arm()\n"
        "ending.keep([object() for _ in range(10)])\n"
        "sys.stdout.write('buffered, ')\n"
        "sys.stderr.write('said')\n"
        "ending.end(3)\n"
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "buffered, handler ran\n", "said")


def test_another_thread_gets_the_normal_exit() -> None:
    """A normal exit waits for a non-daemon thread; ``os._exit`` would kill it."""
    done = _python(
        "import threading, time\n"
        "from socklock._cli import ending\n"
        "threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()\n"
        "ending.arm()\n"
        "ending.end(5)\n"
    )
    assert (done.returncode, done.stdout) == (5, "thread done\n")


def test_not_armed_is_sys_exit() -> None:
    """In a test or a library caller's process, ``end`` is ``sys.exit``."""
    with pytest.raises(SystemExit) as raised:
        ending.end(4)
    assert raised.value.code == 4


def test_the_program_writes_its_document_and_exits_with_its_code(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "shop.yaml").write_text(POLICY)
    out = tmp_path / "out.json"
    done = _python(
        "import sys\n"
        "from socklock._cli.main import run\n"
        f"sys.argv = ['socklock', 'policy', 'verify', {str(tmp_path / 'in')!r}, '--no-intent',"
        f" '--format', 'json', '-o', {str(out)!r}]\n"
        "run()\n"
    )
    assert (done.returncode, done.stdout) == (0, "")
    document = json.loads(out.read_text())
    assert document["connections"] == [
        {
            "from": "shop/web",
            "to": "shop/web",
            "port": 80,
            "end_port": None,
            "protocol": "TCP",
            "allowed": True,
            "verdict": "allowed",
        }
    ]
