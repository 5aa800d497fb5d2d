"""``canonym serve`` as a user starts it: uvicorn on a real socket, and its start-up errors."""

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app as cli

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _port_from_log(proc: subprocess.Popen[str], deadline: float) -> int:
    """The port uvicorn reports; lines are read in a thread so the wait stays bounded."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in proc.stderr or ():
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            seen.append(lines.get(timeout=left))
        except queue.Empty:
            break
        if m := re.search(r"running on http://127\.0\.0\.1:(\d+)", seen[-1]):
            return int(m.group(1))
    raise AssertionError("the server did not start:\n" + "".join(seen))


def _get(url: str, deadline: float) -> bytes:
    """The body at ``url``; workers listen only once they have started, so retry till then."""
    while True:
        try:
            with _NO_PROXY.open(url, timeout=30) as r:
                assert r.status == 200
                return r.read()  # type: ignore[no-any-return]
        except urllib.error.URLError as e:
            if not isinstance(e.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_uvicorn_with_two_workers_answers_health(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "canonym", "serve", "--port", "0", "--workers", "2", *MINI]
    env = {**os.environ, "CANONYM_CACHE_DIR": str(tmp_path)}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 90
        port = _port_from_log(proc, deadline)
        assert b'"entities":21' in _get(f"http://127.0.0.1:{port}/health", deadline)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_port_in_use_is_one_line_exit_2() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = CliRunner().invoke(cli, ["serve", "--port", str(port), *MINI])
    assert r.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in r.stderr and "--port" in r.stderr


def test_a_bad_gazetteer_stops_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - id: x\n    type: person\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["serve", "--port", "0", "--no-bundled", "-g", str(bad)])
    assert r.exit_code == 2 and "invalid gazetteer" in r.stderr


@pytest.mark.parametrize("args", [["--translate", "always"], ["--workers", "0"]])
def test_bad_options_exit_2(args: list[str]) -> None:
    r = CliRunner().invoke(cli, ["serve", *args, *MINI])
    assert r.exit_code == 2
