"""Open a report in Debian's headless Chromium and read back what it shows.

A copy of the page gets a probe script that, once the page has run, measures the
layout and writes it into the document title (invisible, and in ``--dump-dom``).
"""

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

PROBE = """<script>
addEventListener("load", function () { setTimeout(function () {
  var bar = document.getElementById("counts");
  var items = Array.prototype.filter.call(bar.children, function (e) {
    return getComputedStyle(e).display !== "none";
  });
  var line = parseFloat(getComputedStyle(bar).lineHeight) || 20;
  var rows = Array.prototype.filter.call(document.querySelectorAll("tr.finding"), function (r) {
    return r.getClientRects().length > 0;
  });
  var rtl = {};
  Array.prototype.forEach.call(document.querySelectorAll("tr.finding"), function (r) {
    rtl[r.dataset.n] = getComputedStyle(r.querySelector("td.ctx")).direction;
  });
  document.title = JSON.stringify({
    tops: items.map(function (e) { return Math.round(e.getBoundingClientRect().top); }),
    heights: items.map(function (e) { return e.getBoundingClientRect().height; }),
    line: line,
    bar: bar.textContent,
    barWidth: bar.getBoundingClientRect().width,
    barScroll: bar.scrollWidth,
    visible: rows.map(function (r) { return Number(r.dataset.n); }),
    groups: Array.prototype.map.call(document.querySelectorAll("tr.group"), function (g) {
      return g.textContent;
    }),
    directions: rtl,
    hash: location.hash,
    owned: window.owned === 1
  });
}, 0); });
</script>"""


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run this test")
    return CHROMIUM


def _run(url: str, width: int, height: int, *extra: str) -> subprocess.CompletedProcess[str]:
    """Chromium with a throwaway profile and nothing fetched in the background."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            require_chromium(), "--headless", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", f"--window-size={width},{height}",
            "--virtual-time-budget=2000",
        ]  # fmt: skip
        if os.geteuid() == 0:  # Chromium refuses to run as root inside its sandbox
            cmd.append("--no-sandbox")
        proc = subprocess.run(
            [*cmd, *extra, url], capture_output=True, text=True, timeout=120, check=False
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def shown(page: Path, fragment: str = "", width: int = 1200, height: int = 800) -> dict[str, Any]:
    """What the page shows at ``#fragment`` in a window of this size, as the probe saw it."""
    probed = page.with_name(page.stem + ".probe.html")
    text = page.read_text(encoding="utf-8")
    probed.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    url = probed.as_uri() + (f"#{fragment}" if fragment else "")
    dom = _run(url, width, height, "--dump-dom").stdout
    m = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert m, f"Chromium gave no page: {dom[:200]!r}"
    return dict(json.loads(html.unescape(m.group(1))))


def screenshot(
    page: Path, target: Path, fragment: str = "", width: int = 1200, height: int = 800
) -> None:
    """A PNG of the page at ``#fragment``, as a reader first sees it."""
    url = page.as_uri() + (f"#{fragment}" if fragment else "")
    target.parent.mkdir(parents=True, exist_ok=True)
    _run(url, width, height, f"--screenshot={target}")
    assert target.stat().st_size > 0
