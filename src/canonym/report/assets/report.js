// Triage for the canonym check report: filter, sort and group the findings table.
// The page's state lives in the URL hash (#rule=CN001&entity=...&sort=entity), so a
// view can be bookmarked or sent. Document text is untrusted: it is only ever read
// from data attributes and written with textContent, never parsed as HTML.
(function () {
  "use strict";
  var FILTERS = ["rule", "entity", "lang", "doc"];
  var table = document.getElementById("findings");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr.finding"));
  var form = document.getElementById("filters");
  var ruleNames = {};
  Array.prototype.forEach.call(form.elements.rule.options, function (o) {
    if (o.dataset.name) ruleNames[o.dataset.name] = o.value;
  });

  function readState() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var state = {};
    FILTERS.concat(["sort", "order", "group"]).forEach(function (k) {
      state[k] = params.get(k) || "";
    });
    if (ruleNames[state.rule]) state.rule = ruleNames[state.rule];
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    render(state);
  }

  function key(row, column) {
    var d = row.dataset;
    switch (column) {
      case "where": return [Number(d.line), Number(d.col)];
      case "rule": return [d.rule];
      case "entity": return [d.entity];
      case "lang": return [d.lang];
      case "message": return [row.querySelector(".msg").textContent];
      case "doc": return [d.doc, Number(d.line), Number(d.col)];
      default: return [Number(d.n)];
    }
  }

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  function sorted(list, state) {
    var sign = state.order === "desc" ? -1 : 1;
    return list.slice().sort(function (x, y) {
      if (state.group === "entity") {
        var g = compare([x.dataset.entity], [y.dataset.entity]);
        if (g) return g;
      }
      return sign * compare(key(x, state.sort), key(y, state.sort)) ||
        Number(x.dataset.n) - Number(y.dataset.n);
    });
  }

  function groupRow(entity, members) {
    var tr = document.createElement("tr");
    tr.className = "group";
    var th = document.createElement("th");
    th.colSpan = table.tHead.rows[0].cells.length;
    th.textContent = entity + " ";
    var info = document.createElement("span");
    info.className = "muted";
    var spellings = {};
    members.forEach(function (r) { spellings[r.dataset.surface] = 1; });
    info.textContent = "→ " + members[0].dataset.canonical + " · " + members.length +
      (members.length === 1 ? " finding · " : " findings · ") +
      Object.keys(spellings).join(", ");
    th.appendChild(info);
    tr.appendChild(th);
    return tr;
  }

  function render(state) {
    FILTERS.forEach(function (k) {
      var select = form.elements[k];
      select.value = state[k];
      if (select.value !== state[k]) select.value = "";
    });
    form.elements.group.checked = state.group === "entity";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var column = th.dataset.sort;
      if (!column) return;
      if (column === (state.sort || "doc")) {
        th.setAttribute("aria-sort", state.order === "desc" ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    var shown = rows.filter(function (r) {
      return FILTERS.every(function (k) { return !state[k] || r.dataset[k] === state[k]; });
    });
    Array.prototype.slice.call(body.querySelectorAll("tr.group")).forEach(function (g) {
      g.remove();
    });
    rows.forEach(function (r) { r.hidden = true; });
    var ordered = sorted(shown, state);
    var current = null;
    ordered.forEach(function (r, i) {
      if (state.group === "entity" && r.dataset.entity !== current) {
        current = r.dataset.entity;
        var members = ordered.filter(function (m) { return m.dataset.entity === current; });
        body.appendChild(groupRow(current, members));
      }
      r.hidden = false;
      body.appendChild(r);
    });
    rows.forEach(function (r) { if (r.hidden) body.appendChild(r); });
    counts(shown);
  }

  function counts(shown) {
    var byRule = {};
    shown.forEach(function (r) { byRule[r.dataset.rule] = (byRule[r.dataset.rule] || 0) + 1; });
    document.getElementById("shown").textContent = String(shown.length);
    Array.prototype.forEach.call(document.querySelectorAll(".counts .seg"), function (seg) {
      var n = byRule[seg.dataset.rule] || 0;
      seg.querySelector(".n").textContent = String(n);
      seg.style.flexGrow = String(Math.max(n, 0));
      seg.classList.toggle("empty", n === 0);
    });
    document.getElementById("none").hidden = shown.length > 0;
  }

  form.addEventListener("change", function () {
    var state = readState();
    FILTERS.forEach(function (k) { state[k] = form.elements[k].value; });
    state.group = form.elements.group.checked ? "entity" : "";
    writeState(state);
  });
  form.addEventListener("reset", function (e) {
    e.preventDefault();
    writeState({});
  });
  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th[data-sort]");
    if (!th) return;
    var state = readState();
    var column = th.dataset.sort;
    state.order = (state.sort || "doc") === column && state.order !== "desc" ? "desc" : "";
    state.sort = column === "doc" ? "" : column;
    writeState(state);
  });
  window.addEventListener("hashchange", function () { render(readState()); });
  render(readState());
})();
