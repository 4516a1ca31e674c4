"""Property tests: URLs assembled from random pieces come back whole; credentials never leak."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath

from hypothesis import given, settings
from hypothesis import strategies as st

from socklock.discover.code.go import ANALYSER as GO
from socklock.discover.code.interface import CallSite
from socklock.discover.code.javascript import JAVASCRIPT
from socklock.discover.code.python import ANALYSER as PYTHON
from socklock.discover.code.registry import analyser_for
from socklock.discover.code.targets import parse_target

_LABEL = st.from_regex(r"[a-z][a-z0-9-]{0,12}[a-z0-9]", fullmatch=True)
HOSTS = st.lists(_LABEL, min_size=1, max_size=3).map(".".join).filter(lambda h: h != "localhost")
PORTS = st.integers(min_value=1, max_value=65535)
PATHS = st.from_regex(r"(/[a-z0-9_-]{1,8}){0,3}", fullmatch=True)
SCHEMES = st.sampled_from(["http", "https", "mongodb", "amqp", "redis", "postgresql"])


def _only_target(results: Sequence[object]) -> str | None:
    sites = [r for r in results if isinstance(r, CallSite)]
    assert len(sites) == 1, results
    return sites[0].target


@settings(max_examples=60, deadline=None)
@given(SCHEMES, HOSTS, PORTS, PATHS, st.sampled_from(["concat", "fstring", "format", "percent"]))
def test_python_concatenation_reconstructs_the_url(
    scheme: str, host: str, port: int, path: str, style: str
) -> None:
    build = {
        "concat": 'base = SCHEME + "://" + HOST + ":" + str(PORT)',
        "fstring": 'base = f"{SCHEME}://{HOST}:{PORT}"',
        "format": 'base = "{}://{}:{}".format(SCHEME, HOST, PORT)',
        "percent": 'base = "%s://%s:%d" % (SCHEME, HOST, PORT)',
    }[style]
    source = (
        f'SCHEME = "{scheme}"\nHOST = "{host}"\nPORT = {port}\n'
        f"def call():\n    {build}\n    return requests.get(base + {path!r})\n"
    )
    results = list(PYTHON.analyse("client.py", source.encode()))
    assert _only_target(results) == f"{scheme}://{host}:{port}{path}"


@settings(max_examples=40, deadline=None)
@given(HOSTS, PORTS, PATHS)
def test_go_sprintf_reconstructs_the_url(host: str, port: int, path: str) -> None:
    source = (
        f'package x\nconst host = "{host}"\n'
        f'func f() {{ http.Get(fmt.Sprintf("http://%s:%d{path}", host, {port})) }}\n'
    )
    results = list(GO.analyse("x.go", source.encode()))
    assert _only_target(results) == f"http://{host}:{port}{path}"


@settings(max_examples=40, deadline=None)
@given(HOSTS, PORTS, PATHS)
def test_javascript_template_reconstructs_the_url(host: str, port: int, path: str) -> None:
    source = f'const HOST = "{host}";\nconst PORT = {port};\nfetch(`http://${{HOST}}:${{PORT}}{path}`);\n'
    results = list(JAVASCRIPT.analyse("x.js", source.encode()))
    assert _only_target(results) == f"http://{host}:{port}{path}"


@given(
    SCHEMES,
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9!$*]{1,12}", fullmatch=True),
    HOSTS,
    PORTS,
)
def test_credentials_never_reach_the_target(
    scheme: str, user: str, password: str, host: str, port: int
) -> None:
    address = parse_target(f"{scheme}://{user}:{password}@{host}:{port}/db")
    assert address is not None
    assert address.text == f"{scheme}://{host}:{port}/db"


_FIXTURE_ROOT = Path(__file__).parent / "fixtures"
_FIXTURES = sorted(p for p in _FIXTURE_ROOT.rglob("*") if p.is_file() and p.suffix != ".expect")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_FIXTURES), st.data())
def test_broken_sources_never_raise(path: Path, data: st.DataObject) -> None:
    """Half-written files are common in real trees: analysers degrade, never crash."""
    source = path.read_bytes()
    start = data.draw(st.integers(min_value=0, max_value=len(source)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(source), start + 400)))
    junk = data.draw(st.binary(max_size=8))
    broken = source[:start] + junk + source[end:]
    analyser = analyser_for(PurePath(path.relative_to(_FIXTURE_ROOT)))
    assert analyser is not None
    for result in analyser.analyse(path.name, broken):
        assert result.line >= 1 and result.column >= 1


# One known call per language, its URL built from constants by the language's own means.
_BUILDERS = {
    ("checkout.php", "concat"): (
        '<?php\nconst HOST = "{host}";\n$port = {port};\n'
        'curl_init("http://" . HOST . ":" . $port . "{path}");\n'
    ),
    ("checkout.php", "interpolation"): (
        '<?php\n$host = "{host}";\n$port = {port};\ncurl_init("http://{{$host}}:$port{path}");\n'
    ),
    ("checkout.php", "sprintf"): (
        '<?php\n$host = "{host}";\ncurl_init(sprintf("http://%s:%d{path}", $host, {port}));\n'
    ),
    ("Orders.kt", "template"): (
        'val host = "{host}"\nval port = {port}\n'
        'fun f() = rest.getForObject("http://$host:${{port}}{path}", String::class.java)\n'
    ),
    ("Orders.kt", "concat"): (
        'val host = "{host}"\n'
        'fun f() = rest.getForObject("http://" + host + ":" + {port} + "{path}", X::class.java)\n'
    ),
    ("Gateway.scala", "interpolation"): (
        'object G {{\n  val host = "{host}"\n  val port = {port}\n'
        '  def f() = Http().singleRequest(HttpRequest(uri = s"http://$host:$port{path}"))\n}}\n'
    ),
    ("Gateway.scala", "format"): (
        'object G {{\n  val host = "{host}"\n'
        '  def f() = Http().singleRequest(Get("http://%s:%d{path}".format(host, {port})))\n}}\n'
    ),
    ("main.rs", "format"): (
        'const HOST: &str = "{host}";\nconst PORT: u16 = {port};\n'
        'async fn f() {{ reqwest::get(format!("http://{{}}:{{}}{path}", HOST, PORT)).await; }}\n'
    ),
    ("main.rs", "inline"): (
        'const HOST: &str = "{host}";\nconst PORT: u16 = {port};\n'
        'async fn f() {{ reqwest::get(format!("http://{{HOST}}:{{PORT}}{path}")).await; }}\n'
    ),
    ("client.cpp", "concat"): (
        'const std::string kHost = "{host}";\nvoid f(CURL* c) {{\n'
        "  curl_easy_setopt(c, CURLOPT_URL,\n"
        '    ("http://" + kHost + ":" + std::to_string({port}) + "{path}").c_str());\n}}\n'
    ),
    ("compose.lua", "concat"): (
        'local host = "{host}"\nlocal port = {port}\n'
        'httpc:request_uri("http://" .. host .. ":" .. port .. "{path}")\n'
    ),
    ("compose.lua", "format"): (
        'local host = "{host}"\n'
        'httpc:request_uri(string.format("http://%s:%d{path}", host, {port}))\n'
    ),
}


@settings(max_examples=80, deadline=None)
@given(HOSTS, PORTS, PATHS, st.sampled_from(sorted(_BUILDERS)))
def test_each_new_language_reconstructs_the_url(
    host: str, port: int, path: str, builder: tuple[str, str]
) -> None:
    file, _ = builder
    source = _BUILDERS[builder].format(host=host, port=port, path=path)
    analyser = analyser_for(PurePath(file))
    assert analyser is not None
    results = list(analyser.analyse(file, source.encode()))
    assert _only_target(results) == f"http://{host}:{port}{path}", source
