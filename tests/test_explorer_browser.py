"""The explorer end to end in a real headless browser (slow tier).

Starts ``python -m experiments.dashboard`` as a user would, checks it listens on 127.0.0.1 only,
opens it in Debian's chromium driven by Playwright (``executable_path``; Playwright's own browser
download is not used), sets "D1 only, support x1.5" by typing into the lever's field, waits for the
charts to update, saves the setting as a scenario file with the page's own button, runs the
comparison command the page shows, and checks that the comparison's paired effect on participation
at 5 years is the one on the page. Also checks that the page fetched nothing from elsewhere and
the server tried no CDN. The screenshots are saved to ``results/explorer/screenshot.png`` and, of
the same page in Dutch, ``screenshot_nl.png``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from model.config import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = ROOT / "results" / "explorer" / "screenshot.png"
SCREENSHOT_NL = ROOT / "results" / "explorer" / "screenshot_nl.png"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on ``port`` (from /proc/net/tcp and tcp6)."""
    out = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(name):
            continue
        for line in Path(name).read_text().splitlines()[1:]:
            f = line.split()
            addr, p = f[1].split(":")
            if int(p, 16) == port and f[3] == "0A":  # LISTEN
                out.add(socket.inet_ntoa(bytes.fromhex(addr)[::-1]) if len(addr) == 8 else addr)
    return out


@pytest.fixture
def app():
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    proc = subprocess.Popen([sys.executable, "-m", "experiments.dashboard", f"port={port}"], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            text = Path(log.name).read_text()
            if f"explorer: http://127.0.0.1:{port}/" in text:
                break
            assert proc.poll() is None, text
            time.sleep(0.3)
        else:
            pytest.fail("the explorer did not print its address within 120 s")
        yield port, Path(log.name)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.unlink(log.name)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")
def test_one_lever_in_the_browser_matches_the_comparison(app, tmp_path):
    from playwright.sync_api import sync_playwright

    port, log = app
    assert listening_addresses(port) == {"127.0.0.1"}, "the explorer must listen on 127.0.0.1 only"
    url = f"http://127.0.0.1:{port}/"
    requests: list[str] = []
    saved = None
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        args=ARGS, headless=True,
                                                        viewport={"width": 1500, "height": 1250})
            page = ctx.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            shown = "document.querySelector('.result-of') && document.querySelector('.result-of').innerText"
            page.wait_for_function(f"{shown} && {shown}.endsWith('explorer_baseline')",
                                   timeout=300_000)  # the baseline ensemble, once
            before = page.inner_text(".headline")
            field = page.locator(".input-support_level input")
            field.fill("1.5")
            started = time.perf_counter()
            field.press("Enter")
            page.wait_for_function(f"{shown} && {shown}.endsWith('explorer_baseline_support_level1p5')",
                                   timeout=300_000)
            seconds = time.perf_counter() - started
            after = page.inner_text(".headline")
            assert after != before
            print(f"update after one lever: {seconds:.1f} s")
            page.wait_for_timeout(500)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            page.get_by_role("tab", name="Export").click()
            exact = page.inner_text(".effect-exact")
            command = page.inner_text(".compare-command").strip()
            page.locator(".save-scenario").click()
            page.wait_for_selector("text=Saved:", timeout=10_000)
            # the same page in Dutch: the levers' words from nl.yaml
            page.locator(".language").click()
            page.wait_for_function("document.querySelector('.setting-line') && "
                                   "document.querySelector('.setting-line').innerText.startsWith('Uitgangspunt')",
                                   timeout=60_000)
            page.get_by_role("tab", name="Over 10 jaar").click()
            page.wait_for_function("[...document.querySelectorAll('img')].some(i => i.naturalWidth > 800)",
                                   timeout=60_000)
            page.wait_for_timeout(3000)
            assert "Begeleiding door de gemeente" in page.inner_text("body")
            page.screenshot(path=str(SCREENSHOT_NL), full_page=True)
            ctx.close()
        m = re.search(r"diff_median (-?[\d.]+), diff_p05 (-?[\d.]+), diff_p95 (-?[\d.]+)", exact)
        shown = [float(x) for x in m.groups()]
        name = re.search(r"scenarios=\[baseline,(\w+)\]", command).group(1)
        saved = ROOT / "scenarios" / f"{name}.yaml"
        assert saved.is_file() and "support_level: 1.5" in saved.read_text()
        assert name == "explorer_baseline_support_level1p5"
        # the command the page shows, into a temporary folder
        out = tmp_path / "compare"
        args = command.split()[3:] + [f"out={out}", "progress=false", "report.stories=false"]
        r = subprocess.run([sys.executable, "-m", "experiments.compare", *args], cwd=ROOT, capture_output=True,
                           text=True, timeout=1800)
        assert r.returncode == 0, r.stderr[-3000:]
        s = pd.read_csv(out / "summary.csv")
        row = s[(s.scenario == name) & (s.outcome == "participating") & (s.group == "all") & (s.years == 5)].iloc[0]
        assert [row.diff_median, row.diff_p05, row.diff_p95] == pytest.approx(shown, abs=1e-4)
        assert shown[0] > 0  # more support: more participation
    finally:
        if saved is not None:
            saved.unlink(missing_ok=True)
    here = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", f"blob:http://127.0.0.1:{port}/", "data:")
    outside = [u for u in requests if not u.startswith(here)]
    assert not outside, f"the page fetched from elsewhere: {outside[:5]}"
    assert "Could not load URL" not in log.read_text(), "the server tried to fetch a front-end file"
