"""The demo's report in a real headless Chromium (Debian's chromium and chromium-driver, which
``make test`` installs; nothing is downloaded): what it draws, what a click shows."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import DEMO_CALLS, REPO

from socklock._cli.main import cli

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
WORLD = "external:0.0.0.0/0"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Debian's chromium and chromium-driver are not installed (make debs installs them)",
)


@pytest.fixture(scope="module")
def report() -> Iterator[Path]:
    """``socklock demo`` run from the repository, as ``make demo`` runs it."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        out = Path(tmp) / "out"
        result = CliRunner().invoke(cli, ["demo", "--out-dir", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.output.rstrip().endswith(f"wrote {out / 'report.html'}")
        yield out / "report.html"


@pytest.fixture(scope="module")
def browser(report: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    assert CHROMIUM is not None and CHROMEDRIVER is not None
    with tempfile.TemporaryDirectory() as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            driver.get(report.as_uri())
            WebDriverWait(driver, 10).until(
                lambda d: d.execute_script("return !!(window.socklock && window.socklock.cy)")
            )
            yield driver
        finally:
            driver.quit()


def _js(driver: Any, script: str) -> Any:
    return driver.execute_script(script)


def test_the_demo_graph_is_drawn_whole(browser: Any) -> None:
    nodes = _js(
        browser,
        "return window.socklock.cy.nodes(':visible').map(n => [n.data('kind'), n.id()]).sort()",
    )
    workloads = sorted({c[0] for c in DEMO_CALLS} | {c[1] for c in DEMO_CALLS})
    assert len(workloads) == 13
    assert nodes == sorted(
        [
            ["group", "group:outside"],
            ["group", "group:sock-shop"],
            ["external", WORLD],
            *(["workload", w] for w in workloads),
        ]
    )
    edges = _js(
        browser,
        "return window.socklock.cy.edges(':visible').map(e => "
        "[e.source().id(), e.target().id(), e.data('label'), e.data('state')])",
    )
    assert sorted(map(tuple, edges)) == sorted(
        [(s, t, f"{p}/{proto}", "allowed") for s, t, p, proto in DEMO_CALLS]
        + [(WORLD, "sock-shop/front-end", "8080/TCP", "allowed")]
    )
    parents = _js(
        browser,
        "return window.socklock.cy.nodes('[kind = \"workload\"]').map(n => n.parent().id())",
    )
    assert set(parents) == {"group:sock-shop"}


def _click(driver: Any, element_id: str) -> None:
    """A real mouse click where cytoscape drew the element (the middle of an edge), at its
    position in the window."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    x, y = driver.execute_script(
        "const c = document.getElementById('graph'); c.scrollIntoView();"
        "const e = window.socklock.cy.getElementById(arguments[0]);"
        "const p = e.isEdge() ? e.renderedMidpoint() : e.renderedPosition();"
        "const r = c.getBoundingClientRect();"
        "return [r.left + c.clientLeft + p.x, r.top + c.clientTop + p.y];",
        element_id,
    )
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(round(x), round(y)).click()
    actions.perform()


def test_clicking_an_edge_shows_its_evidence_and_the_rules(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    edge_id = _js(
        browser,
        "return window.socklock.cy.edges().filter(e => e.source().id() === "
        "'sock-shop/catalogue' && e.target().id() === 'sock-shop/catalogue-db')[0].id()",
    )
    _click(browser, str(edge_id))
    details = browser.find_element(By.ID, "details")
    assert details.get_attribute("data-edge") == edge_id
    text = details.text
    assert text.startswith("sock-shop/catalogue → sock-shop/catalogue-db 3306/TCP\n")
    evidence = [
        li.text.split(" ")[0] for li in browser.find_elements(By.CSS_SELECTOR, "#evidence > li")
    ]
    assert evidence == [
        "examples/sockshop/docker-compose.yml:35:7",
        "examples/sockshop/docker-compose.yml:31:7",
        "examples/sockshop/kubernetes/catalogue.yaml:36:15",
        "examples/sockshop/catalogue/app.py:21:35",
    ]
    admitting = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#details li.admitting")]
    assert [a.split(" ")[:4] for a in admitting] == [
        [
            "admitted",
            "by",
            "sock-shop/socklock-catalogue-egress",
            "spec.egress[0]",
        ],
        [
            "admitted",
            "by",
            "sock-shop/socklock-catalogue-db-ingress",
            "spec.ingress[0]",
        ],
    ]
    assert "policies/kubernetes-enforce/sock-shop/catalogue.yaml:47:7" in admitting[0]
    assert "policies/kubernetes-enforce/sock-shop/catalogue-db.yaml:19:7" in admitting[1]


def test_clicking_a_workload_shows_where_it_is_declared(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _click(browser, "sock-shop/orders-db")
    details = browser.find_element(By.ID, "details")
    assert details.get_attribute("data-node") == "sock-shop/orders-db"
    lines = details.text.splitlines()
    assert lines[:3] == [
        "sock-shop/orders-db",
        "Deployment",
        "declared at examples/sockshop/kubernetes/orders-db.yaml:2:1",
    ]
    assert "Calls in (1)" in lines


def test_the_findings_filter_by_rule(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "filter-rule")).select_by_value("SLK209")
    shown = _js(
        browser,
        "return [...document.querySelectorAll('#findings tbody tr')]"
        ".filter(r => r.style.display !== 'none').map(r => r.dataset.rule)",
    )
    expected = _js(
        browser, "return window.socklock.data.findings.filter(f => f.rule === 'SLK209').length"
    )
    assert shown == ["SLK209"] * expected
    total = _js(browser, "return window.socklock.data.findings.length")
    count = browser.find_element(By.ID, "findings-count").text
    assert count == f"{expected} of {total} shown"
    Select(browser.find_element(By.ID, "filter-rule")).select_by_value("")


def test_the_matrix_has_a_cell_per_connection(browser: Any) -> None:
    cell = _js(
        browser,
        "const t = document.getElementById('matrix');"
        "const col = [...t.tHead.rows[0].cells].findIndex(c => c.title === 'sock-shop/carts-db');"
        "const row = [...t.tBodies[0].rows].find(r => r.cells[0].title === 'sock-shop/carts');"
        "return [row.cells[col].textContent, row.cells[col].firstChild.className];",
    )
    assert cell == ["27017/TCP", "allowed"]


def test_nothing_was_fetched_and_nothing_failed(browser: Any, tmp_path: Path) -> None:
    fetched = _js(browser, "return performance.getEntriesByType('resource').map(r => r.name)")
    assert fetched == []
    logs = browser.get_log("browser")
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
