"""What a shell entry point exports before it ``exec``s the program: defaults, expansion,
conditionals, and values it cannot know."""

from __future__ import annotations

from socklock.discover.entrypoints import script_environment
from socklock.load.shell_lines import logical_lines

SCRIPT = """\
#!/bin/sh
export API=${API:-api:80}
MODE=${MODE:-one}   # trailing comment
if [ "$MODE" = one ]; then
    SERVERS="server ${API};"
else
    SERVERS="server ${API}; server ${SPARE};"
    EXTRA=yes
fi
WEIGHT=$((100 - 5))
HOSTS="$(cat /etc/hosts)"
RESOLVER=${RESOLVER:-$FROM_RESOLV}
BLOCK="$(cat <<END
SERVERS=inside-a-heredoc
END
)"
URL=http://$API/v1
"""


def test_defaults_expansion_and_the_first_branch() -> None:
    assert script_environment(SCRIPT, {}) == {
        "API": ("api:80", 2),
        "MODE": ("one", 3),
        "SERVERS": ("server api:80;", 5),
        "EXTRA": ("yes", 8),  # set in the else only: nothing set it before
        "URL": ("http://api:80/v1", 17),
    }


def test_the_environment_wins_over_a_default_not_over_an_assignment() -> None:
    env = {"API": "gw:9000", "URL": "ignored"}
    values = script_environment(SCRIPT, env)
    assert values["API"] == ("gw:9000", 2)
    assert values["SERVERS"] == ("server gw:9000;", 5)
    assert values["URL"] == ("http://gw:9000/v1", 17)


def test_continuation_lines_keep_the_first_line_number() -> None:
    assert list(logical_lines("a \\\n  b\nc\n")) == [(1, "a b"), (3, "c")]
