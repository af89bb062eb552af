"""Regenerate docs/screenshots/: every page of the web app at a desktop and a phone size (``make screenshots``).

Starts the app on a free loopback port, drives Debian's Chromium through Playwright (as the browser tests do) and
writes ``docs/screenshots/<name>-<desktop|phone>.png`` for the start page, the patient pages (with a stage and a
symptom result; three explainers stand for all of them), the trial pages, the clinician index, every calculator with
a result (its catalogue example, posted as the form would), the simulations with their charts, the case report of a
bundled example, the records pages signed in as a demonstration clinician of a temporary store, the 404 page and
/docs.

A result is reached by posting the page's own form fields to the page (what a browser without JavaScript does),
so the shots do not depend on how each form is laid out. Screenshots are cut at a few screens' height.

It also rewrites the gallery in docs/web.md (between its screenshot markers) to show every picture.

Usage: ``.venv/bin/python tools/screenshots.py [--out docs/screenshots] [--only NAME_PREFIX] [--doc docs/web.md]``
(``--only`` takes a few pictures and leaves the others and the gallery alone).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
#: Longest screenshot, in screens: long pages are cut (the top of a page is what a reader sees first).
MAX_SCREENS = 3
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

Form = Mapping[str, str | Sequence[str]]
SAMPLE_TOPICS = ("what_is_metastasis", "jaw_care", "men_breast_cancer")
EXAMPLE = "de-novo-bone-only"
#: The demonstration account of the screenshot server's own temporary case store (never a real one).
DEMO_EMAIL, DEMO_PASSWORD = "demo.clinician@example.org", "demonstration only 1"
TRIAL_RECORDS = Path(__file__).resolve().parent.parent / "tests" / "trials" / "data" / "ctgov_v2_studies.jsonl"


@dataclass(frozen=True)
class Shot:
    """One page to photograph: its file name stem, its path, and the form to post there first (if any)."""

    name: str
    path: str
    form: Form = field(default_factory=dict)
    wait_for: str | None = None
    signed_in: bool = False


def _form_value(value: Any) -> str | list[str] | None:
    """A JSON example value as the form would send it (a checkbox sends "true"; an unticked one nothing)."""
    if value is False or value is None:
        return None
    if value is True:
        return "true"
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def shots() -> list[Shot]:
    """Every page of the site, with the example that fills each form."""
    from metastasis.web.clinician_simulations import simulations
    from metastasis.web.clinician_tools import calculators
    from metastasis.web.patient_content import all_topics

    found = [
        Shot("home", "/"),
        Shot("not-found", "/no-such-page"),
        Shot("api-docs", "/docs", wait_for=".opblock"),
        Shot("patient-home", "/patient"),
        Shot("patient-stage", "/patient/stage", {"t": "T2", "n": "N1", "m": "M0"}),
        Shot("patient-symptoms", "/patient/symptoms", {"symptoms": ["back_pain", "limb_weakness"]}),
        Shot("patient-spread", "/patient/spread"),
        Shot("patient-statistics", "/patient/statistics"),
        Shot("patient-treatments", "/patient/treatments"),
        Shot("patient-learn", "/patient/learn"),
        Shot("patient-quiz", "/patient/quiz"),
        Shot("clinician-home", "/clinician"),
        Shot("clinician-case", "/clinician/case", {"example": "hypercalcaemia", "audience": "clinician"}),
        Shot("clinician-case-builder", "/clinician/case/new"),
    ]
    # The explainers share one layout: three of them stand for all (the topic index shows every title).
    topics = [topic for topic in SAMPLE_TOPICS if topic in all_topics()]
    found += [Shot(f"patient-learn-{topic}", f"/patient/learn/{topic}") for topic in topics]
    found += [
        Shot("patient-glossary", "/patient/glossary"),
        Shot("patient-help", "/patient/help"),
        Shot("patient-trials", f"/patient/trials?example={EXAMPLE}"),
        Shot("clinician-trials", f"/clinician/trials?example={EXAMPLE}"),
        Shot("login", "/login"),
    ]
    for name, op in calculators().items():
        example = {key: _form_value(value) for key, value in (op.example or {}).items()}
        form = {key: value for key, value in example.items() if value is not None}
        found.append(Shot(f"clinician-calc-{name}", f"/clinician/calc/{name}", form))
    small = {
        "spread": {"subtype": "triple-negative", "steps": "3", "patients": "2000", "seed": "7", "top": "3"},
        "cascade": {"cells": "2000", "replicates": "50", "seed": "3"},
        "bone": {"lesion_name": "mixed", "treatment": "zoledronic-acid", "start_day": "90", "years": "1"},
    }
    found += [
        Shot(f"clinician-simulate-{kind}", f"/clinician/simulate/{kind}", small.get(kind, {})) for kind in simulations()
    ]
    found += [  # signed in as the demonstration clinician of serve()
        Shot("records-list", "/records", signed_in=True),
        Shot("records-record", "/records/1", signed_in=True),
        Shot("records-new", "/records/new", signed_in=True),
    ]
    return found


POST_FORM = """([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const add = (name, value) => {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value;
    form.appendChild(input);
  };
  // Hidden fields of the page's own forms (a CSRF token, say) travel with the example.
  for (const h of document.querySelectorAll("form[method=post] input[type=hidden]")) {
    if (h.name) add(h.name, h.value);
  }
  for (const [name, value] of fields) add(name, value);
  document.body.appendChild(form);
  form.submit();
}"""


def _pairs(form: Form) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in form.items():
        pairs += [(name, v) for v in value] if isinstance(value, list | tuple) else [(name, str(value))]
    return pairs


@contextmanager
def serve() -> Iterator[str]:
    """The app on a free loopback port, in a background thread, with a temporary case store (one demonstration
    clinician, a record of the bundled hypercalcaemia case with its alerts) and the project's recorded trials; the
    user's own data folder is never touched."""
    import tempfile

    import uvicorn

    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_DATA_HOME"] = folder  # defaults (trial file, SQLite store) inside the temporary folder
        from metastasis.api import create_app
        from metastasis.examples.cases import load_example_case
        from metastasis.store import Store
        from metastasis.trials import TrialStore, read_studies

        if TRIAL_RECORDS.exists():
            os.environ["METASTASIS_TRIALS_FILE"] = str(Path(folder) / "trials.jsonl")
            TrialStore(Path(folder) / "trials.jsonl").add(read_studies(TRIAL_RECORDS))
        store = Store(f"sqlite:///{folder}/store.db")
        store.upgrade()
        store.accounts.add_user(DEMO_EMAIL, "clinician", DEMO_PASSWORD)
        demo = store.accounts.authenticate(DEMO_EMAIL, DEMO_PASSWORD)
        store.records.create(demo, load_example_case("hypercalcaemia"), reason="first visit")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(create_app(store=store), log_level="warning", access_log=False))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise SystemExit("the app did not start")
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
            store.dispose()


def sign_in(page: Any) -> None:
    """Sign in through the form as the demonstration clinician (the context keeps the session cookie)."""
    page.goto("/login")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def take(page: Any, shot: Shot, path: Path, height: int) -> str | None:
    """Open the page (posting its form first), and save the screenshot; a problem is returned, not raised."""
    response = page.goto(shot.path)
    problem = None
    if response is None or (response.status != 200 and shot.name != "not-found") or response.status >= 500:
        problem = f"GET {shot.path} answered {response.status if response else 'nothing'}"
    if shot.form:
        with page.expect_navigation():
            page.evaluate(POST_FORM, [shot.path + "#result", _pairs(shot.form)])
        page.wait_for_load_state("load")
        if page.locator("#input-errors, [aria-invalid=true]").count():
            problem = f"the example posted to {shot.path} was refused"
    if shot.wait_for:
        page.wait_for_selector(shot.wait_for)
    full = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": min(full, height)})
    _shrink(path)
    return problem


def _shrink(path: Path) -> None:
    """Store the picture with a 256-colour palette: a third of the size, text still crisp (they live in git)."""
    from PIL import Image

    with Image.open(path) as picture:
        small = picture.convert("RGB").quantize(256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


GALLERY_START = "<!-- screenshots:start (written by tools/screenshots.py) -->"
GALLERY_END = "<!-- screenshots:end -->"


def write_gallery(doc: Path, out: Path, names: list[str]) -> None:
    """Rewrite the gallery between the markers in ``doc``: each page, desktop and phone, linked to the full image."""
    text = doc.read_text(encoding="utf-8")
    if GALLERY_START not in text or GALLERY_END not in text:
        print(f"{doc} has no screenshot markers; gallery not written")
        return
    folder = os.path.relpath(out, doc.parent)
    rows = ["| Page | Desktop (1366 px) | Phone (390 px) |", "| --- | --- | --- |"]
    for name in names:
        cells = [
            f'<a href="{folder}/{name}-{size}.png"><img src="{folder}/{name}-{size}.png" width="{width}" '
            f'alt="{name}, {size}"></a>'
            for size, width in (("desktop", 360), ("phone", 120))
        ]
        rows.append(f"| `{name}` | {cells[0]} | {cells[1]} |")
    head, rest = text.split(GALLERY_START, 1)
    tail = rest.split(GALLERY_END, 1)[1]
    doc.write_text(f"{head}{GALLERY_START}\n{chr(10).join(rows)}\n{GALLERY_END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", default="", help="only the shots whose name starts with this")
    parser.add_argument("--doc", type=Path, default=Path("docs/web.md"), help="the page whose gallery is rewritten")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("METASTASIS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Debian's Chromium was not found (apt-get install chromium, or set METASTASIS_CHROMIUM)")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = [s for s in shots() if s.name.startswith(args.only)]
    if not args.only:  # a page that is gone leaves no stale picture behind
        for old in [*args.out.glob("*-desktop.png"), *args.out.glob("*-phone.png")]:
            old.unlink()
    problems: list[str] = []
    with serve() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(base_url=url, viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(30_000)
            signed_in = False
            for shot in wanted:
                if shot.signed_in and not signed_in:
                    sign_in(page)
                    signed_in = True
                target = args.out / f"{shot.name}-{size}.png"
                problem = take(page, shot, target, MAX_SCREENS * height)
                print(f"{target}{'  (' + problem + ')' if problem else ''}")
                if problem:
                    problems.append(f"{shot.name}-{size}: {problem}")
            context.close()
        browser.close()
    if not args.only and args.doc.exists():
        write_gallery(args.doc, args.out, [shot.name for shot in wanted])
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
