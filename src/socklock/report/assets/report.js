/* socklock HTML report: draws the embedded data (the socklock-data element) with cytoscape.
 * Every text of the data goes into the page through textContent, never as HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("socklock-data").textContent);
  var STATES = ["allowed", "breaks", "open", "hint", "unchecked"];
  var STATE_TEXT = {
    allowed: "needed and allowed",
    breaks: "needed and denied: would break",
    open: "allowed but not needed: still open",
    hint: "start-order hint only",
    unchecked: "needed, not checked"
  };
  var COLORS = {
    allowed: "#2e7d32", breaks: "#c62828", open: "#ef6c00", hint: "#9e9e9e", unchecked: "#546e7a"
  };
  var SEVERITIES = ["critical", "high", "medium", "low", "info"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  var nodesById = {};
  data.nodes.forEach(function (n) { nodesById[n.id] = n; });
  var edgesById = {};
  data.edges.forEach(function (e) { edgesById[e.id] = e; });

  // -- header ----------------------------------------------------------------------------

  function header() {
    document.getElementById("title").textContent = data.title;
    document.title = data.title;
    var meta = document.getElementById("meta");
    meta.textContent = "socklock " + data.version + (data.inputs.length ? " · " + data.inputs.join(" ") : "");
    var policies = document.getElementById("policies");
    policies.textContent = "Connections checked against: " + data.policies.description;
    if (data.policies.error) {
      policies.appendChild(el("div", { className: "error", text: data.policies.error }));
    }
    var counts = {};
    STATES.forEach(function (s) { counts[s] = 0; });
    data.edges.forEach(function (e) { counts[e.state] += 1; });
    var legend = document.getElementById("legend");
    STATES.forEach(function (state) {
      var box = el("input", { type: "checkbox", "data-state": state });
      box.checked = true;
      box.addEventListener("change", function () { showState(state, box.checked); });
      legend.appendChild(el("label", { id: "legend-" + state }, [
        box, el("span", { className: "swatch " + state }),
        STATE_TEXT[state] + " (" + counts[state] + ")"
      ]));
    });
  }

  // -- graph -----------------------------------------------------------------------------

  /* Layers by longest path over the calls (back edges of a depth-first search left out), so
   * that callers stand left of what they call; one horizontal band per namespace. */
  function positions() {
    var ids = data.nodes.map(function (n) { return n.id; });
    var out = {};
    ids.forEach(function (id) { out[id] = []; });
    data.edges.forEach(function (e) {
      if (e.state !== "open" && e.source !== e.target) out[e.source].push(e.target);
    });
    var state = {}, order = [], dag = {};
    ids.forEach(function (id) { dag[id] = []; });
    function visit(id) {
      var stack = [[id, 0]];
      state[id] = 1;
      while (stack.length) {
        var top = stack[stack.length - 1];
        var next = out[top[0]][top[1]];
        if (next === undefined) {
          stack.pop();
          state[top[0]] = 2;
          order.push(top[0]);
          continue;
        }
        top[1] += 1;
        if (state[next] === 1) continue; // a back edge: a cycle
        dag[top[0]].push(next);
        if (!state[next]) {
          state[next] = 1;
          stack.push([next, 0]);
        }
      }
    }
    ids.forEach(function (id) { if (!state[id]) visit(id); });
    var layer = {};
    ids.forEach(function (id) { layer[id] = 0; });
    order.reverse().forEach(function (id) {
      dag[id].forEach(function (t) { layer[t] = Math.max(layer[t], layer[id] + 1); });
    });
    var groups = [];
    data.nodes.forEach(function (n) { if (groups.indexOf(n.group) < 0) groups.push(n.group); });
    groups.sort(function (a, b) {
      if (a === "outside") return -1;
      if (b === "outside") return 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    // Each group (namespace) on its own: its layers left to right, a layer's nodes sorted by
    // where their callers stand (barycentre), at most TALL to a column (more: side by side);
    // odd columns half a row lower, so that a call skipping a column passes between nodes.
    // Groups are then packed in rows, like words in a paragraph.
    var TALL = 8, COLUMN = 220, ROW = 80, GAP = 140;
    var preds = {};
    ids.forEach(function (id) { preds[id] = []; });
    ids.forEach(function (id) { dag[id].forEach(function (t) { preds[t].push(id); }); });
    var boxes = groups.map(function (group) {
      var members = data.nodes.filter(function (n) { return n.group === group; });
      var layers = [];
      members.forEach(function (n) { if (layers.indexOf(layer[n.id]) < 0) layers.push(layer[n.id]); });
      layers.sort(function (a, b) { return a - b; });
      var local = {}, column = 0, tallest = 0;
      layers.forEach(function (l) {
        var here = members.filter(function (n) { return layer[n.id] === l; });
        var key = {};
        here.forEach(function (n) {
          var placed = preds[n.id].filter(function (p) { return local[p]; });
          key[n.id] = placed.length
            ? placed.reduce(function (sum, p) { return sum + local[p].y; }, 0) / placed.length
            : Infinity;
        });
        here.sort(function (a, b) {
          if (key[a.id] !== key[b.id]) return key[a.id] < key[b.id] ? -1 : 1;
          return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        });
        here.forEach(function (n, i) {
          var c = column + Math.floor(i / TALL);
          local[n.id] = { x: c * COLUMN, y: (i % TALL) * ROW + (c % 2) * (ROW / 2) };
        });
        column += Math.ceil(here.length / TALL);
        tallest = Math.max(tallest, Math.min(here.length, TALL));
      });
      return { local: local, width: column * COLUMN, height: tallest * ROW + ROW / 2 };
    });
    var area = boxes.reduce(function (sum, b) { return sum + (b.width + GAP) * (b.height + GAP); }, 0);
    var widest = boxes.reduce(function (w, b) { return Math.max(w, b.width); }, 0);
    var limit = Math.max(widest, Math.sqrt(area) * 1.6);
    var result = {}, x = 0, y = 0, rowHeight = 0;
    boxes.forEach(function (box) {
      if (x > 0 && x + box.width > limit) {
        x = 0;
        y += rowHeight + GAP;
        rowHeight = 0;
      }
      Object.keys(box.local).forEach(function (id) {
        result[id] = { x: x + box.local[id].x, y: y + box.local[id].y };
      });
      x += box.width + GAP;
      rowHeight = Math.max(rowHeight, box.height);
    });
    return result;
  }

  var cy = null;

  function graph() {
    var place = positions();
    var elements = [];
    var groups = {};
    data.nodes.forEach(function (n) {
      if (n.group && !groups[n.group]) {
        groups[n.group] = true;
        elements.push({ group: "nodes", data: { id: "group:" + n.group, label: n.group, kind: "group" } });
      }
      elements.push({
        group: "nodes",
        data: { id: n.id, label: n.label, kind: n.kind, parent: n.group ? "group:" + n.group : undefined },
        position: place[n.id]
      });
    });
    data.edges.forEach(function (e) {
      elements.push({
        group: "edges",
        data: { id: e.id, source: e.source, target: e.target, state: e.state, label: e.ports }
      });
    });
    cy = cytoscape({
      container: document.getElementById("graph"),
      elements: elements,
      layout: { name: "preset", fit: true, padding: 30 },
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 12, "text-valign": "center", "text-halign": "center",
          "width": 130, "height": 36, "shape": "round-rectangle", "background-color": "#dbe9f6",
          "border-width": 1, "border-color": "#5b8bb8", "text-wrap": "ellipsis", "text-max-width": 124
        } },
        { selector: "node[kind = 'external']", style: { "background-color": "#f4ecd8", "border-color": "#a98b4b", "shape": "ellipse" } },
        { selector: "node[kind = 'group']", style: {
          "label": "data(label)", "text-valign": "top", "text-halign": "center", "font-size": 13,
          "font-weight": "bold", "background-color": "#f6f8fa", "border-color": "#8c959f",
          "border-style": "dashed", "padding": 18, "shape": "round-rectangle"
        } },
        { selector: "edge", style: {
          "width": 2, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 1.1,
          "label": "data(label)", "font-size": 9, "text-rotation": "autorotate",
          "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1,
          "color": "#444"
        } },
        { selector: "edge[state = 'allowed']", style: { "line-color": COLORS.allowed, "target-arrow-color": COLORS.allowed } },
        { selector: "edge[state = 'breaks']", style: { "line-color": COLORS.breaks, "target-arrow-color": COLORS.breaks, "width": 3.5 } },
        { selector: "edge[state = 'open']", style: { "line-color": COLORS.open, "target-arrow-color": COLORS.open, "line-style": "dashed" } },
        { selector: "edge[state = 'hint']", style: { "line-color": COLORS.hint, "target-arrow-color": COLORS.hint, "line-style": "dotted" } },
        { selector: "edge[state = 'unchecked']", style: { "line-color": COLORS.unchecked, "target-arrow-color": COLORS.unchecked } },
        { selector: "edge:loop", style: { "loop-direction": "0deg", "loop-sweep": "-60deg", "control-point-step-size": 50 } },
        { selector: ":selected", style: { "overlay-color": "#0969da", "overlay-opacity": 0.2, "overlay-padding": 6 } }
      ]
    });
    cy.on("tap", "edge", function (event) { showEdge(event.target.id()); });
    cy.on("tap", "node", function (event) {
      var kind = event.target.data("kind");
      if (kind !== "group") showNode(event.target.id());
    });
  }

  function showState(state, visible) {
    cy.edges("[state = '" + state + "']").style("display", visible ? "element" : "none");
  }

  // -- details ---------------------------------------------------------------------------

  function where(text) { return el("span", { className: "where", text: text }); }

  function side(s) {
    var title = (s.direction === "Ingress" ? "ingress of " : "egress of ") + s.workload + ": " +
      (s.allowed ? "allows" : "DENIES") + ": " + s.reason;
    var items = [];
    s.selecting.forEach(function (ref) {
      items.push(el("li", {}, ["selected by " + ref.policy + " ", where(ref.where)]));
    });
    s.admitting.forEach(function (rule) {
      items.push(el("li", { className: "admitting" }, [
        "admitted by " + rule.policy + " " + rule.rule + " ", where(rule.where),
        ": " + rule.peers + " on " + rule.ports
      ]));
    });
    s.nearMisses.forEach(function (text) { items.push(el("li", { className: "muted", text: "not this: " + text })); });
    return el("div", { className: "side" }, [el("div", { text: title }), el("ul", {}, items)]);
  }

  function showEdge(id) {
    var e = edgesById[id];
    var box = clear(document.getElementById("details"));
    box.setAttribute("data-edge", id);
    box.removeAttribute("data-node");
    box.appendChild(el("h3", { text: e.source + " → " + e.target + " " + e.ports }));
    box.appendChild(el("div", {}, [
      el("span", { className: "chip " + e.state, text: STATE_TEXT[e.state] }),
      e.neededBy ? " needed by: " + e.neededBy : null,
      e.verdict ? " · policies: " + e.verdict : null
    ]));
    box.appendChild(el("h3", { text: "Evidence" }));
    if (!e.evidence.length) {
      box.appendChild(el("div", { className: "muted", text: "none: no call needs this connection" }));
    }
    box.appendChild(el("ul", { id: "evidence" }, e.evidence.map(function (ev) {
      return el("li", {}, [
        where(ev.where), " " + ev.detail,
        ev.expression ? el("div", {}, [el("code", { text: ev.expression })]) : null
      ]);
    })));
    box.appendChild(el("h3", { text: "Policies" }));
    var x = e.explanation;
    if (!x) {
      box.appendChild(el("div", { className: "muted", text: e.state === "hint"
        ? "a start-order hint is not checked against the policies"
        : "not checked: " + data.policies.description + (e.port === null ? " (port unknown)" : "") }));
    } else {
      box.appendChild(el("div", { text: "verdict: " + x.verdict }));
      if (x.note) box.appendChild(el("div", { className: "muted", text: "note: " + x.note }));
      if (x.egress) box.appendChild(side(x.egress));
      if (x.ingress) box.appendChild(side(x.ingress));
    }
    if (cy) {
      cy.elements().unselect();
      cy.getElementById(id).select();
    }
  }

  function edgeLink(e, other) {
    var link = el("a", { href: "#graph", text: other + " " + e.ports });
    link.addEventListener("click", function (event) { event.preventDefault(); showEdge(e.id); });
    return el("li", {}, [el("span", { className: "chip " + e.state, text: e.state }), " ", link]);
  }

  function showNode(id) {
    var n = nodesById[id];
    var box = clear(document.getElementById("details"));
    box.setAttribute("data-node", id);
    box.removeAttribute("data-edge");
    box.appendChild(el("h3", { text: n.id }));
    box.appendChild(el("div", { text: (n.workloadKind || n.kind) }));
    if (n.where) box.appendChild(el("div", {}, ["declared at ", where(n.where)]));
    if (n.ports.length) box.appendChild(el("div", { text: "ports: " + n.ports.join(", ") }));
    var labels = Object.keys(n.labels).sort().map(function (k) { return k + "=" + n.labels[k]; });
    if (labels.length) box.appendChild(el("div", {}, ["labels: ", el("code", { text: labels.join(", ") })]));
    if (n.policy) {
      ["ingress", "egress"].forEach(function (way) {
        var isolated = way === "ingress" ? n.policy.ingressIsolated : n.policy.egressIsolated;
        box.appendChild(el("h3", { text: way + ": " + (isolated ? "isolated" : "NOT isolated (open)") }));
        box.appendChild(el("ul", {}, n.policy.selecting[way].map(function (ref) {
          return el("li", {}, ["selected by " + ref.policy + " ", where(ref.where)]);
        })));
      });
    }
    var outgoing = data.edges.filter(function (e) { return e.source === id; });
    var incoming = data.edges.filter(function (e) { return e.target === id; });
    box.appendChild(el("h3", { text: "Calls out (" + outgoing.length + ")" }));
    box.appendChild(el("ul", {}, outgoing.map(function (e) { return edgeLink(e, "→ " + e.target); })));
    box.appendChild(el("h3", { text: "Calls in (" + incoming.length + ")" }));
    box.appendChild(el("ul", {}, incoming.map(function (e) { return edgeLink(e, "← " + e.source); })));
    if (cy) {
      cy.elements().unselect();
      cy.getElementById(id).select();
    }
  }

  // -- matrix ----------------------------------------------------------------------------

  function matrix() {
    var sources = [], targets = [];
    data.nodes.forEach(function (n) {
      if (data.edges.some(function (e) { return e.source === n.id; })) sources.push(n.id);
      if (data.edges.some(function (e) { return e.target === n.id; })) targets.push(n.id);
    });
    var table = document.getElementById("matrix");
    var head = el("tr", {}, [el("th", { text: "from \\ to" })].concat(targets.map(function (t) {
      return el("th", { title: t, text: nodesById[t].label });
    })));
    table.appendChild(el("thead", {}, [head]));
    var body = el("tbody");
    sources.forEach(function (s) {
      var row = el("tr", {}, [el("th", { title: s, text: s })]);
      targets.forEach(function (t) {
        var here = data.edges.filter(function (e) { return e.source === s && e.target === t; });
        var cell = el("td", { className: here.length ? "cell" : "" }, here.map(function (e) {
          return el("span", { className: e.state, title: STATE_TEXT[e.state], text: e.ports });
        }));
        if (here.length) {
          cell.addEventListener("click", function () {
            showEdge(here[0].id);
            document.getElementById("graph").scrollIntoView();
          });
        }
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    table.appendChild(body);
  }

  // -- findings --------------------------------------------------------------------------

  function findings() {
    var severity = document.getElementById("filter-severity");
    var rule = document.getElementById("filter-rule");
    var text = document.getElementById("filter-text");
    var rules = {};
    data.findings.forEach(function (f) { rules[f.rule] = f.name; });
    severity.appendChild(el("option", { value: "", text: "every severity" }));
    SEVERITIES.forEach(function (s) {
      if (data.findings.some(function (f) { return f.severity === s; })) {
        severity.appendChild(el("option", { value: s, text: s + " and above" }));
      }
    });
    rule.appendChild(el("option", { value: "", text: "every rule" }));
    Object.keys(rules).sort().forEach(function (r) {
      rule.appendChild(el("option", { value: r, text: r + " " + rules[r] }));
    });
    var body = document.querySelector("#findings tbody");
    var rows = data.findings.map(function (f) {
      var tr = el("tr", { "data-rule": f.rule, "data-severity": f.severity }, [
        el("td", { className: "sev-" + f.severity, text: f.severity }),
        el("td", { text: f.rule + " " + f.name }),
        el("td", { text: f.message }),
        el("td", {}, [where(f.where)]),
        el("td", { text: f.object }),
        el("td", { text: f.fix || "" })
      ]);
      body.appendChild(tr);
      return { row: tr, finding: f, text: [f.rule, f.name, f.message, f.where, f.object].join(" ").toLowerCase() };
    });
    function apply() {
      var floor = severity.value ? SEVERITIES.indexOf(severity.value) : SEVERITIES.length;
      var needle = text.value.toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var ok = SEVERITIES.indexOf(r.finding.severity) <= floor &&
          (!rule.value || r.finding.rule === rule.value) &&
          (!needle || r.text.indexOf(needle) >= 0);
        r.row.style.display = ok ? "" : "none";
        if (ok) shown += 1;
      });
      document.getElementById("findings-count").textContent = shown + " of " + rows.length + " shown";
    }
    [severity, rule].forEach(function (s) { s.addEventListener("change", apply); });
    text.addEventListener("input", apply);
    apply();
  }

  function unresolved() {
    var list = document.getElementById("unresolved");
    if (!data.unresolved.length) {
      list.appendChild(el("li", { className: "muted", text: "none" }));
    }
    data.unresolved.forEach(function (u) {
      list.appendChild(el("li", {}, [
        u.source + " ", where(u.where), " ", el("code", { text: u.expression }), ": " + u.reason
      ]));
    });
  }

  header();
  graph();
  matrix();
  findings();
  unresolved();
  window.socklock = { cy: cy, data: data, showEdge: showEdge, showNode: showNode };
})();
