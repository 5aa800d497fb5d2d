"""The review page's style sheet and script: small, inline, no third-party code.

The page reads and works without the script (every action is a form); the
script adds j/k to move between entries and the search-as-you-type list of
entities to attach a proposal to.
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem;
       color: #1d232a; background: #fafafa; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.bar, .filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.bar { gap: 1.5rem; } input[type=number] { width: 5em; }
label { font-size: .85rem; color: #4a5560; display: flex; flex-direction: column; }
.msg { padding: .5rem .75rem; background: #e5f3e8; border-left: 4px solid #2e7d32; }
.msg.error { background: #fdecea; border-color: #c62828; }
.item { background: #fff; border: 1px solid #d9dee3; border-radius: 6px; margin: .6rem 0;
        padding: .6rem .8rem; outline: none; }
.item.current { border-color: #1565c0; box-shadow: 0 0 0 2px #90caf9; }
.item h3 { font-size: 1rem; margin: 0 0 .3rem; } .meta { color: #5f6b76; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: start; padding: .25rem .4rem; border-top: 1px solid #eef0f2;
         vertical-align: top; font-size: .9rem; }
th { font-weight: 600; color: #4a5560; }
.ctx { color: #3c4650; } mark { background: #fff59d; padding: 0 .1em; }
.status { font-size: .75rem; padding: .05rem .4rem; border-radius: 3px; background: #eceff1; }
.status.accepted, .status.attached { background: #c8e6c9; }
.status.rejected { background: #ffcdd2; } .status.merged { background: #d1c4e9; }
.actions form { display: inline-flex; gap: .2rem; margin: .1rem .4rem .1rem 0; }
.actions { white-space: nowrap; }
button { font: inherit; font-size: .85rem; padding: .1rem .5rem; cursor: pointer; }
input, select { font: inherit; font-size: .85rem; }
.edit { display: flex; flex-wrap: wrap; gap: .4rem; align-items: end; margin-top: .4rem; }
kbd { border: 1px solid #bbb; border-radius: 3px; padding: 0 .3em; font-size: .8rem; }
"""

SCRIPT = """
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".item"));
  var at = -1;
  function go(i) {
    if (!items.length) return;
    at = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el) { el.classList.remove("current"); });
    items[at].classList.add("current");
    items[at].focus({preventScroll: true});
    items[at].scrollIntoView({block: "nearest"});
  }
  if (location.hash) {
    var el = document.getElementById(location.hash.slice(1));
    if (el && items.indexOf(el) >= 0) go(items.indexOf(el));
  }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target.tagName;
    if (t === "INPUT" || t === "SELECT" || t === "TEXTAREA" || ev.ctrlKey || ev.metaKey
        || ev.altKey) return;
    if (ev.key === "j") { go(at + 1); ev.preventDefault(); }
    else if (ev.key === "k") { go(at - 1); ev.preventDefault(); }
  });
  items.forEach(function (el, i) {
    el.addEventListener("focusin", function () {
      items.forEach(function (o) { o.classList.remove("current"); });
      el.classList.add("current"); at = i;
    });
  });
  document.querySelectorAll("input[data-search]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!q || q === asked) return;
        asked = q;
        fetch("search?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) {
            if (q !== asked) return;
            while (list.firstChild) list.removeChild(list.firstChild);
            found.forEach(function (m) {
              var o = document.createElement("option");
              o.value = m.id;
              o.textContent = m.name + " (" + m.type + ", " + m.score + ")";
              list.appendChild(o);
            });
            input.setAttribute("data-found", String(found.length));
          });
      }, 150);
    });
  });
})();
"""
