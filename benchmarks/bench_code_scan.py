"""Throughput of code discovery: lines of source per second through ``scan_tree``.

Generates a polyglot tree (Go, Python, Java, JavaScript, TypeScript, C#, Ruby and config
files) of ordinary service code, roughly a third of the files with outbound calls, plus
vendored and test trees that the scan must skip, then times one ``scan_tree`` over it.
``main(full=True)`` builds at least 500,000 lines; ``full=False`` a tenth of that.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

FULL_LINES = 500_000
QUICK_LINES = 50_000
CALL_SHARE = 0.35  # files that call something

_WORDS = (
    "order",
    "cart",
    "item",
    "price",
    "stock",
    "user",
    "session",
    "payment",
    "shipping",
    "catalogue",
    "review",
    "invoice",
    "address",
    "customer",
    "basket",
    "discount",
    "coupon",
    "tax",
    "refund",
    "label",
    "parcel",
    "carrier",
    "queue",
    "event",
)


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_WORDS).capitalize() for _ in range(parts))


def _lower(rng: random.Random, parts: int = 2) -> str:
    name = _name(rng, parts)
    return name[0].lower() + name[1:]


def _service(rng: random.Random) -> str:
    return rng.choice(_WORDS) + rng.choice(["", "-service", "-api", "-db"])


def _go(rng: random.Random, calls: bool) -> str:
    kind = _name(rng)
    out = [
        "package " + rng.choice(_WORDS),
        "",
        'import (\n\t"encoding/json"\n\t"fmt"\n\t"net/http"\n\t"os"\n\t"strings"\n)',
        "",
        f"// {kind} is one record of the {rng.choice(_WORDS)} store.",
        f"type {kind} struct {{",
    ]
    fields = [_name(rng, 1) + str(i) for i in range(rng.randint(4, 9))]
    out += [f'\t{f} string `json:"{f.lower()}"`' for f in fields]
    out += ["}", ""]
    for index in range(rng.randint(4, 9)):
        fn = _name(rng) + str(index)
        out += [
            f"// {fn} validates and normalises a {kind}.",
            f"func {fn}(items []{kind}, limit int) ([]{kind}, error) {{",
            f"\tout := make([]{kind}, 0, len(items))",
            "\tfor i, it := range items {",
            "\t\tif i >= limit {",
            "\t\t\tbreak",
            "\t\t}",
            f'\t\tif strings.TrimSpace(it.{fields[0]}) == "" {{',
            f'\t\t\treturn nil, fmt.Errorf("item %d has no {fields[0].lower()}", i)',
            "\t\t}",
            f"\t\tit.{fields[1]} = strings.ToLower(it.{fields[1]})",
            "\t\tout = append(out, it)",
            "\t}",
            "\treturn out, nil",
            "}",
            "",
        ]
    out += [
        "func handler(w http.ResponseWriter, r *http.Request) {",
        f"\tvar body []{kind}",
        "\tif err := json.NewDecoder(r.Body).Decode(&body); err != nil {",
        "\t\thttp.Error(w, err.Error(), http.StatusBadRequest)",
        "\t\treturn",
        "\t}",
        '\tw.Header().Set("Content-Type", "application/json")',
        "\t_ = json.NewEncoder(w).Encode(body)",
        "}",
        "",
    ]
    if calls:
        svc = _service(rng)
        out += [
            f'var {_lower(rng)}URL = os.Getenv("{svc.upper().replace("-", "_")}_URL")',
            "",
            "func fetch(id string) (*http.Response, error) {",
            f'\treturn http.Get("http://{svc}:80/{rng.choice(_WORDS)}/" + id)',
            "}",
            "",
        ]
    return "\n".join(out)


def _python(rng: random.Random, calls: bool) -> str:
    kind = _name(rng)
    out = [
        f'"""{kind} handling for the {rng.choice(_WORDS)} service."""',
        "",
        "import dataclasses",
        "import logging",
        "import os",
        "",
        "log = logging.getLogger(__name__)",
        "",
        "",
        "@dataclasses.dataclass",
        f"class {kind}:",
    ]
    fields = [_lower(rng, 1) + str(i) for i in range(rng.randint(4, 8))]
    out += [f"    {f}: str = ''" for f in fields]
    out += [""]
    for index in range(rng.randint(4, 9)):
        fn = _lower(rng) + str(index)
        out += [
            f"    def {fn.lower()}(self, items, limit=10):",
            f'        """Keep the first items whose {fields[0]} is set."""',
            "        kept = []",
            "        for i, item in enumerate(items):",
            "            if i >= limit:",
            "                break",
            f"            if not item.get('{fields[0]}'):",
            f"                log.warning('item %s has no {fields[0]}', i)",
            "                continue",
            "            kept.append({k: str(v).strip() for k, v in item.items()})",
            "        return kept",
            "",
        ]
    if calls:
        svc = _service(rng)
        out += [
            "",
            "import requests",
            "",
            f'BASE = os.environ.get("{svc.upper().replace("-", "_")}_URL", "http://{svc}:80")',
            "",
            "",
            "def fetch(item_id):",
            f'    return requests.get(BASE + "/{rng.choice(_WORDS)}/" + item_id, timeout=3)',
            "",
        ]
    return "\n".join(out) + "\n"


def _java(rng: random.Random, calls: bool) -> str:
    kind = _name(rng)
    fields = [_lower(rng, 1) + str(i) for i in range(rng.randint(4, 8))]
    out = [
        f"package shop.{rng.choice(_WORDS)};",
        "",
        "import java.util.ArrayList;",
        "import java.util.List;",
        "import java.util.Objects;",
        "",
        f"/** A {kind} as stored by the {rng.choice(_WORDS)} service. */",
        f"public class {kind} {{",
    ]
    out += [f"    private String {f};" for f in fields]
    out += [""]
    for f in fields:
        cap = f[0].upper() + f[1:]
        out += [
            f"    public String get{cap}() {{",
            f"        return {f};",
            "    }",
            "",
            f"    public void set{cap}(String {f}) {{",
            f"        this.{f} = Objects.requireNonNull({f});",
            "    }",
            "",
        ]
    out += [
        f"    public static List<{kind}> firstValid(List<{kind}> items, int limit) {{",
        f"        List<{kind}> out = new ArrayList<>();",
        f"        for ({kind} item : items) {{",
        "            if (out.size() >= limit) {",
        "                break;",
        "            }",
        f"            if (item.get{fields[0][0].upper() + fields[0][1:]}() != null) {{",
        "                out.add(item);",
        "            }",
        "        }",
        "        return out;",
        "    }",
    ]
    if calls:
        svc = _service(rng)
        out += [
            "",
            f'    private static final String BASE = "http://{svc}:80";',
            "",
            "    Object fetch(org.springframework.web.client.RestTemplate rest, String id) {",
            f'        String url = BASE + "/{rng.choice(_WORDS)}/" + id;',
            "        return rest.getForObject(url, Object.class);",
            "    }",
        ]
    out += ["}", ""]
    return "\n".join(out)


def _javascript(rng: random.Random, calls: bool) -> str:
    out = [
        '"use strict";',
        "",
        'const express = require("express");',
        "const router = express.Router();",
        "",
    ]
    for index in range(rng.randint(5, 10)):
        fn = _lower(rng) + str(index)
        field = _lower(rng, 1)
        out += [
            f"function {fn}(items, limit = 10) {{",
            "  const kept = [];",
            "  for (const [i, item] of items.entries()) {",
            "    if (i >= limit) {",
            "      break;",
            "    }",
            f"    if (!item.{field}) {{",
            "      continue;",
            "    }",
            f"    kept.push({{ ...item, {field}: String(item.{field}).trim() }});",
            "  }",
            "  return kept;",
            "}",
            "",
            f'router.get("/{field}/{index}", (req, res) => {{',
            f"  res.json({fn}(req.body || [], 20));",
            "});",
            "",
        ]
    if calls:
        svc = _service(rng)
        out += [
            f'const BASE = process.env.{svc.upper().replace("-", "_")}_URL || "http://{svc}:80";',
            "",
            "async function fetchOne(id) {",
            f"  const res = await fetch(`${{BASE}}/{rng.choice(_WORDS)}/${{id}}`);",
            "  return res.json();",
            "}",
            "",
        ]
    out += ["module.exports = router;", ""]
    return "\n".join(out)


def _typescript(rng: random.Random, calls: bool) -> str:
    kind = _name(rng)
    fields = [_lower(rng, 1) + str(i) for i in range(rng.randint(4, 8))]
    out = [f"export interface {kind} {{"]
    out += [f"  {f}: string;" for f in fields]
    out += ["}", "", f"export class {kind}Store {{", f"  private items: {kind}[] = [];", ""]
    for index in range(rng.randint(4, 8)):
        out += [
            f"  find{index}(limit: number): {kind}[] {{",
            f"    return this.items.filter((it) => it.{fields[0]} !== '').slice(0, limit);",
            "  }",
            "",
            f"  add{index}(item: {kind}): void {{",
            f"    if (!item.{fields[1]}) {{",
            f"      throw new Error('missing {fields[1]}');",
            "    }",
            "    this.items.push(item);",
            "  }",
            "",
        ]
    if calls:
        svc = _service(rng)
        out += [
            "  async remote(id: string): Promise<unknown> {",
            f'    const res = await fetch("http://{svc}:80/{rng.choice(_WORDS)}/" + id);',
            "    return res.json();",
            "  }",
        ]
    out += ["}", ""]
    return "\n".join(out)


def _csharp(rng: random.Random, calls: bool) -> str:
    kind = _name(rng)
    fields = [_name(rng, 1) + str(i) for i in range(rng.randint(4, 8))]
    out = [
        "using System;",
        "using System.Collections.Generic;",
        "using System.Linq;",
        "",
        f"namespace Shop.{rng.choice(_WORDS).capitalize()}",
        "{",
        f"    public class {kind}",
        "    {",
    ]
    out += [f"        public string {f} {{ get; set; }}" for f in fields]
    out += [""]
    for index in range(rng.randint(3, 7)):
        out += [
            f"        public static IEnumerable<{kind}> Valid{index}(",
            f"            IEnumerable<{kind}> items, int limit)",
            "        {",
            f"            return items.Where(i => i.{fields[0]} != null).Take(limit);",
            "        }",
            "",
        ]
    if calls:
        svc = _service(rng)
        out += [
            "        public async Task<string> Fetch(HttpClient http, string id)",
            "        {",
            f'            var url = $"http://{svc}:80/{rng.choice(_WORDS)}/{{id}}";',
            "            return await http.GetStringAsync(url);",
            "        }",
        ]
    out += ["    }", "}", ""]
    return "\n".join(out)


def _ruby(rng: random.Random, calls: bool) -> str:
    kind = _name(rng)
    out = [
        f"class {kind}",
        f"  attr_accessor :{_lower(rng, 1).lower()}, :{_lower(rng, 1).lower()}",
        "",
    ]
    for index in range(rng.randint(4, 8)):
        out += [
            f"  def valid_{index}(items, limit = 10)",
            "    items.first(limit).select do |item|",
            "      !item[:name].to_s.strip.empty?",
            "    end",
            "  end",
            "",
        ]
    if calls:
        svc = _service(rng)
        out += [
            "  def fetch(id)",
            f'    HTTParty.get("http://{svc}:80/{rng.choice(_WORDS)}/#{{id}}")',
            "  end",
        ]
    out += ["end", ""]
    return "\n".join(out)


def _properties(rng: random.Random, calls: bool) -> str:
    svc = _service(rng)
    lines = ["spring.application.name=" + svc, "server.port=8080", "logging.level.root=INFO"]
    if calls:
        lines.append(
            f"{rng.choice(_WORDS)}.url=${{{svc.upper().replace('-', '_')}_URL:http://{svc}:80}}"
        )
    return "\n".join(lines) + "\n"


_MAKERS: tuple[tuple[str, str, Callable[[random.Random, bool], str], int], ...] = (
    ("go", ".go", _go, 20),
    ("py", ".py", _python, 20),
    ("java", ".java", _java, 15),
    ("js", ".js", _javascript, 15),
    ("ts", ".ts", _typescript, 12),
    ("cs", ".cs", _csharp, 10),
    ("rb", ".rb", _ruby, 5),
)


def generate(root: Path, target_lines: int, seed: int = 5) -> int:
    """Write the tree; return the number of lines in files the scan should read."""
    rng = random.Random(seed)
    weights = [m[3] for m in _MAKERS]
    lines = 0
    index = 0
    while lines < target_lines:
        folder, suffix, make, _ = rng.choices(_MAKERS, weights)[0]
        text = make(rng, rng.random() < CALL_SHARE)
        path = root / f"svc{index % 40}" / folder / f"{_lower(rng)}{index}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        lines += text.count("\n")
        if index % 50 == 0:
            config = (
                root / f"svc{index % 40}" / "src" / "main" / "resources" / "application.properties"
            )
            config.parent.mkdir(parents=True, exist_ok=True)
            body = _properties(rng, True)
            config.write_text(body, encoding="utf-8")
            lines += body.count("\n")
        index += 1
    for skipped in ("node_modules/lib", "vendor/github.com/x", "tests", "src/test/java"):
        ignored = root / "svc0" / skipped
        ignored.mkdir(parents=True, exist_ok=True)
        for n in range(20):
            (ignored / f"skipped{n}.js").write_text(_javascript(rng, True), encoding="utf-8")
    return lines


def main(full: bool) -> dict[str, float]:
    """Generate, scan, and return the numbers (lines, seconds, lines per second...)."""
    from socklock.discover.code.scan import scan_tree

    with tempfile.TemporaryDirectory(prefix="socklock-bench-code-") as tmp:
        root = Path(tmp)
        lines = generate(root, FULL_LINES if full else QUICK_LINES)
        files = sum(1 for p in root.rglob("*") if p.is_file())
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        results = sum(1 for _ in scan_tree([str(root)]))
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
    return {
        "files": float(files),
        "lines": float(lines),
        "results": float(results),
        "seconds": round(seconds, 3),
        "lines_per_second": round(lines / seconds),
        "cpu_seconds": round(cpu, 3),  # all processes: unaffected by other load
        "lines_per_cpu_second": round(lines / cpu),
    }


def _cpu_seconds() -> float:
    """User and system time of this process and its reaped workers."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


if __name__ == "__main__":
    numbers = main(full="--full" in sys.argv[1:])
    print(
        f"code scan: {numbers['lines']:.0f} lines in {numbers['files']:.0f} files, "
        f"{numbers['results']:.0f} call sites, {numbers['seconds']}s: "
        f"{numbers['lines_per_second']:,.0f} lines/s "
        f"({numbers['lines_per_cpu_second']:,.0f} lines per CPU second)"
    )
