"""Drive the screening widget in JupyterLab in headless Chromium, and check the reviewer's file.

Needs Debian's chromium (``apt-get install -y chromium``) and Playwright's Python package; no
browser download. See shared notes on browser tests for the flags and pitfalls.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "screening" / "review"
NOTEBOOK = ROOT / "notebooks" / "02_screening.ipynb"
CHROMIUM = os.environ.get("REVIEW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook_with_parameters(dest: Path, review: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert params, "02_screening.ipynb has lost its parameters cell"
    params[0].source = (f"review_dir = {str(review)!r}\nout_dir = {str(review / 'output')!r}\n"
                        "lang = 'nb'\nreviewer = 'demo_a'\nstage = 'title_abstract'\n")
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving a copy of the fixture review; yields (url, log, review)."""
    review = tmp_path / "review"
    shutil.copytree(FIXTURE, review)
    _notebook_with_parameters(review / "notebooks" / "02_screening.ipynb", review)
    state = tmp_path / "jupyter_state"
    env = dict(os.environ)
    for var in ("JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR",
                "JUPYTER_CONFIG_DIR"):
        env[var] = str(state / var.lower())
    env.pop("REVIEW_OUT_DIR", None)
    port, token = _free_port(), uuid.uuid4().hex
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={review}", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=review,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + _tail(log)) from None
                time.sleep(0.3)
        yield base, token, log, review
    finally:
        try:
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST", data=b"")
            urllib.request.urlopen(req, timeout=5)
            proc.wait(timeout=10)
        except Exception:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def _tail(path: Path, n: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_widget_records_decisions_in_jupyterlab(lab, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    base, token, log, review = lab
    store_file = review / "decisions" / "screening" / "title_abstract" / "demo_a.jsonl"
    artifacts = Path(os.environ.get("REVIEW_TEST_ARTIFACTS", tmp_path))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        try:
            page.goto(f"{base}/lab/tree/notebooks/02_screening.ipynb?token={token}&reset")
            page.locator(".jp-Notebook").first.wait_for()
            # JupyterLab may ask which kernel to start; take the preselected one (this venv's python3).
            accept = page.locator(".jp-Dialog .jp-mod-accept")
            try:
                accept.wait_for(timeout=4_000)
                accept.click()
            except PlaywrightTimeout:
                pass
            # The kernel must be ready before Run All.
            expect(page.locator(".jp-Notebook-ExecutionIndicator").first).to_have_attribute(
                "data-status", "idle", timeout=30_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).first.click()

            title = page.locator(".screening-title").first
            expect(title).to_contain_text("Tildeling av hjemmetjenester")
            expect(page.locator(".screening-progress-label").first).to_have_text("0 / 5")
            # The record's markup is shown as text, never run.
            page.locator(".screening-include").first.click()
            expect(title).to_contain_text("<script>alert('x')</script> Purchaser")
            assert page.locator(".screening-title script").count() == 0

            page.locator(".screening-reason select").first.select_option(label="Ikke norske forhold (not_norway)")
            page.locator(".screening-note textarea").first.fill("Svensk studie")
            page.locator(".screening-exclude").first.click()
            expect(title).to_contain_text("Bestiller–utførermodellen")
            expect(page.locator(".screening-progress-label").first).to_have_text("2 / 5")

            rows = _rows(store_file)
            assert [(r["work_id"], r["decision"], r["reason"], r["note"]) for r in rows] == [
                ("w_0a1f3c", "include", None, None),
                ("w_1b7e9d", "exclude", "not_norway", "Svensk studie"),
            ]
            # Keyboard shortcut: with the mouse over the record, "m" records maybe.
            page.locator(".screening-card").first.hover()
            page.keyboard.press("m")
            expect(title).to_contain_text("Hospital discharge")
            assert [(r["work_id"], r["decision"]) for r in _rows(store_file)][-1] == ("w_2c4d8a", "maybe")
            if "REVIEW_TEST_ARTIFACTS" in os.environ:
                page.screenshot(path=str(artifacts / "screening_browser.png"))
            assert all(r["reviewer"] == "demo_a" and r["stage"] == "title_abstract" for r in rows)
        except BaseException:
            shot = artifacts / "screening_browser_failure.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
            except Exception:
                pass
            print(f"screenshot: {shot}\n--- JupyterLab log (tail) ---\n{_tail(log)}")
            raise
        finally:
            browser.close()
