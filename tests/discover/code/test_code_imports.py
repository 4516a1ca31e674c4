"""Importing code discovery (as the CLI does at start-up) does not load tree-sitter."""

from __future__ import annotations

import subprocess
import sys


def test_tree_sitter_is_loaded_only_when_a_file_is_analysed() -> None:
    program = (
        "import sys\n"
        "import socklock.discover.code\n"
        "import socklock.discover.code.registry\n"
        "import socklock.discover.code.scan\n"
        "assert not [m for m in sys.modules if m.startswith('tree_sitter')], 'imported early'\n"
        "from socklock.discover.code.go import ANALYSER\n"
        "list(ANALYSER.analyse('x.go', b'package x'))\n"
        "assert 'tree_sitter' not in sys.modules, 'prefilter should have ruled this file out'\n"
        "list(ANALYSER.analyse('x.go', b'package x\\nvar u = \"http://a:1\"'))\n"
        "assert 'tree_sitter' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True)
