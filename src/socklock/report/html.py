"""The report as one self-contained HTML file: the data as JSON, cytoscape.js and the page's
own script and style are all inlined, so nothing is fetched when it is viewed.

A Content-Security-Policy allows no network at all and only the page's own two scripts (by
their hashes); the JSON sits in a ``<script type="application/json">`` element with ``<``,
``>`` and ``&`` escaped, so no text of the data (evidence is the scanned files' text) can end
the element or be read as markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources

ASSETS = "assets"
LIBRARY = "cytoscape.min.js"

# JSON text escapes that keep it inert inside a script element (JSON.parse reads them back).
_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def asset(name: str) -> str:
    return resources.files("socklock.report").joinpath(ASSETS, name).read_text(encoding="utf-8")


def embedded_json(data: object) -> str:
    """``data`` as JSON that can stand inside ``<script type="application/json">``."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def _script_body(text: str) -> str:
    """A script to inline: refused if it could end its element early."""
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("a script to inline contains </script or <!--")
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


PAGE = """<!DOCTYPE html>
<!-- socklock:generated: the HTML report of socklock scan, rewritten on each run -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="socklock {version}">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1 id="title">{title}</h1>
<div id="meta" class="muted"></div>
<div id="policies"></div>
<nav><a href="#graph-section">Graph</a><a href="#matrix-section">Matrix</a>\
<a href="#findings-section">Findings</a><a href="#unresolved-section">Unresolved</a></nav>
</header>
<section id="graph-section">
<h2>Service graph</h2>
<div class="muted">Workloads grouped by namespace. Click a workload or a connection for its \
evidence (file:line) and the policy rule that admits it; untick a state to hide it.</div>
<div id="legend" class="legend"></div>
<div class="graph-wrap">
<div id="graph"></div>
<aside id="details"><span class="muted">Click a workload or a connection.</span></aside>
</div>
</section>
<section id="matrix-section">
<h2>Connectivity matrix</h2>
<div class="muted">One row per caller, one column per callee: the ports of each connection, \
coloured by state.</div>
<div class="matrix-wrap"><table id="matrix"></table></div>
</section>
<section id="findings-section">
<h2>Findings</h2>
<div class="filters">
<label>Severity <select id="filter-severity"></select></label>
<label>Rule <select id="filter-rule"></select></label>
<label>Text <input id="filter-text" type="search"></label>
<span id="findings-count" class="muted"></span>
</div>
<table id="findings"><thead><tr><th>severity</th><th>rule</th><th>message</th><th>where</th>\
<th>object</th><th>fix</th></tr></thead><tbody></tbody></table>
</section>
<section id="unresolved-section">
<h2>Unresolved calls</h2>
<ul id="unresolved"></ul>
</section>
<script type="application/json" id="socklock-data">{data}</script>
<script>{library}</script>
<script>{script}</script>
</body>
</html>
"""


def render_html(data: dict[str, object]) -> str:
    """The page for report data built by :func:`socklock.report.html_data.build_report`."""
    return "".join(iter_html(data))


# the page around its data, formatted apart so the data never joins it in one string
_HEAD, _TAIL = PAGE.split("{data}")


def iter_html(
    data: dict[str, object], streamed: Mapping[str, Iterable[object]] | None = None
) -> Iterator[str]:
    """:func:`render_html` in pieces: the data is encoded key by key, and each list of
    ``streamed`` (a key of the data, or added after its keys) item by item, as the items are
    given (a big input's nodes and findings are hundreds of megabytes as one string). The
    pieces joined are the page of ``data`` holding those lists: ``json.dumps`` with these
    separators writes a dict as ``{``, each ``key:value`` joined by ``,``, then ``}``, and a
    list likewise with ``[`` and ``]``."""
    library = _script_body(asset(LIBRARY))
    script = _script_body(asset("report.js"))
    style = asset("report.css")
    if "</style" in style.lower():
        raise ValueError("the style sheet contains </style")
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(library)} {_sha256(script)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'"
    )
    streamed = streamed or {}
    yield _HEAD.format(
        csp=csp,
        version=html.escape(str(data.get("version", ""))),
        title=html.escape(str(data.get("title", "socklock report"))),
        style=style,
    )
    keys = [*data, *(k for k in streamed if k not in data)]
    for index, key in enumerate(keys):
        yield ("{" if index == 0 else ",") + embedded_json(key) + ":"
        if key not in streamed:
            yield embedded_json(data[key])
            continue
        opening = "["
        for item in streamed[key]:
            yield opening + embedded_json(item)
            opening = ","
        yield "[]" if opening == "[" else "]"
    yield ("}" if keys else "{}") + _TAIL.format(library=library, script=script)
