"""`assistant serve` and `assistant demo` as a user runs them: real processes, real ports, Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.cli.server_commands import pick_demo_sample
from assistant.errors import AssistantError
from assistant.paths import SAMPLES_DIR
from web.conftest import free_port

ASSISTANT = [sys.executable, "-c", "from assistant.cli import main; main()"]


def _spawn(args: list[str], tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DISPLAY", None)  # like a server: the demo must just print the URL
    return subprocess.Popen(ASSISTANT + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, cwd=Path(__file__).resolve().parents[2])


def _read_until(proc: subprocess.Popen, pattern: str, *, timeout: float = 180) -> tuple[re.Match, str]:
    output = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        output += line
        match = re.search(pattern, output)
        if match:
            return match, output
    proc.kill()
    raise AssertionError(f"no {pattern!r} in output:\n{output}")


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    try:
        rest, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, rest


def test_demo_prefers_the_frustrated_multi_point_sample():
    assert Path(pick_demo_sample()).name == "02_flere_klagepunkter_frustreret.wav"
    assert Path(pick_demo_sample("01_ventetid_rolig")) == SAMPLES_DIR / "01_ventetid_rolig.wav"
    with pytest.raises(AssistantError) as err:
        pick_demo_sample("findes_ikke")
    assert err.value.code == "file-not-found"


@pytest.mark.slow
def test_serve_runs_until_ctrl_c(tmp_path):
    port = free_port()
    proc = _spawn(["serve", "--port", str(port), "--log-level", "warning"], tmp_path)
    match, _ = _read_until(proc, r"Panelet: (http://\S+/panel)")
    assert match.group(1) == f"http://127.0.0.1:{port}/panel"
    deadline = time.monotonic() + 60
    while True:  # the URL is printed just before uvicorn binds
        try:
            response = httpx.get(match.group(1), timeout=5, headers={"Accept": "text/html"}, follow_redirects=True)
            break
        except httpx.ConnectError:
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
    # access control: without a login the browser lands on the login page, which then goes on to the panel
    assert response.status_code == 200 and "Log ind" in response.text
    assert str(response.url) == f"http://127.0.0.1:{port}/login?next=%2Fpanel"
    code, rest = _stop(proc)
    assert code == 0, rest
    assert "Traceback" not in rest


@pytest.mark.slow
def test_serve_on_a_busy_port_fails_clearly(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _spawn(["serve", "--port", str(port)], tmp_path)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "port-unavailable" in out and str(port) in out and "Traceback" not in out


@pytest.mark.slow
def test_demo_with_audio_starts_a_call_and_prints_the_panel_url(tmp_path):
    port = free_port()
    proc = _spawn(["demo", "--audio", "--no-browser", "--port", str(port)], tmp_path)
    # access control: the printed URL is a one-time login link for the demo caseworker that opens the panel
    match, output = _read_until(proc, r"Åbn panelet: (http://127\.0\.0\.1:\d+/auth/link/\S+\?next=/panel/(\w+)\S*)")
    url, call_id = match.group(1), match.group(2)
    assert "02_flere_klagepunkter_frustreret.wav" in output
    # Said up front: the bundled model is weak at Danish, and where to read how to install a Danish one.
    assert "svag til dansk" in output and "models/README.md" in output
    assert output.index("svag til dansk") < output.index("Åbn panelet")
    with httpx.Client(timeout=10) as browser:
        page = browser.get(url, follow_redirects=True)
        assert page.status_code == 200 and str(page.url) == f"http://127.0.0.1:{port}/panel/{call_id}"
        snap = browser.get(f"http://127.0.0.1:{port}/calls/{call_id}").json()
    assert snap["status"] == "running" and "02_flere_klagepunkter_frustreret" in snap["source"]
    again = httpx.get(url, timeout=10)  # the link works once
    assert again.status_code == 303 and again.headers["location"] == "/login?link=demo-used"
    code, rest = _stop(proc)
    assert code == 0, rest
    assert "Demoen er stoppet." in rest and "Traceback" not in rest
