"""nbconvert's WebPDF route, printing with a Chromium of our choosing.

nbconvert's stock ``--to webpdf`` launches Playwright's own browser build (which must be
downloaded) and has no setting for a browser path. :class:`BriefingPDFExporter` is the same
exporter with three changes:

1. it launches a configurable Chromium: ``BRIEFING_CHROMIUM``, else ``chromium`` (or
   ``chromium-browser``/``google-chrome``) on PATH, else Playwright's own browser if installed;
   ``--no-sandbox`` only when running as root;
2. it uses the project's template (``analysis/templates/briefing``): no code, no prompts, no
   papermill parameter cells, A4 pages, a title block, no MathJax/require.js from a CDN;
3. it prints A4 with page numbers and a table of contents whose page numbers come from a
   first printing (only when the briefing is longer than :attr:`toc_min_pages` pages).

Registered as the nbconvert exporter ``briefing_pdf`` (``jupyter nbconvert --to briefing_pdf``).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

from nbconvert.exporters.webpdf import WebPDFExporter
from traitlets import Int, Unicode, default

from analysis import config
from analysis.pipeline.browser import BrowserNotFound, find_chromium, playwright_browser

__all__ = [
    "BriefingPDFExporter",
    "BrowserNotFound",
    "find_chromium",
    "page_count",
    "playwright_browser",
]

#: Flags that keep Chromium off the network (this machine has none) and quiet.
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-extensions",
    "--font-render-hinting=none",
]

FOOTER = (
    '<div style="font-size:7pt;font-family:DejaVu Sans,sans-serif;width:100%;'
    'padding:0 12mm;color:#555;display:flex;justify-content:space-between;">'
    "<span>{left}</span>"
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class BriefingPDFExporter(WebPDFExporter):
    """WebPDF exporter that prints with Debian's Chromium and the project's template."""

    export_from_notebook = "Briefing PDF (A4, via Chromium)"

    chromium_path = Unicode(
        "", help="Chromium executable; empty: BRIEFING_CHROMIUM, then chromium on PATH."
    ).tag(config=True)
    footer_text = Unicode("relations-briefing", help="Left-hand footer text.").tag(config=True)
    toc_min_pages = Int(
        5, help="Fill in TOC page numbers when the PDF has at least this many pages."
    ).tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "briefing"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(config.TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    def from_notebook_node(self, nb, resources=None, **kw):
        """The PDF of ``nb``: its HTML (:meth:`html_of`) printed by Chromium."""
        html, resources = self.html_of(nb, resources, **kw)
        return self.run_playwright(html), resources

    def html_of(self, nb, resources=None, **kw) -> tuple[str, dict]:
        """The page Chromium prints: the template rendered as nbconvert's HTML exporter renders
        it, without that exporter's last pass, which parses and rewrites the whole page with
        BeautifulSoup (0.8 s of the 1 MB briefing) to give ``<img>`` elements a stock alt text
        and cells a keyboard tab order: the briefing has no ``<img>`` (its figures are inline
        SVG) and a PDF has no tab order."""
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name"))
        self.register_filter(
            "highlight_code",
            self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)),
        )
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    def _launch_args(self) -> list[str]:
        args = list(CHROMIUM_FLAGS) + list(self.browser_args)
        if _running_as_root() or self.disable_sandbox:
            args.append("--no-sandbox")
        return args

    async def _launch(self, pw):
        executable = find_chromium(self.chromium_path or None)
        try:
            return await pw.chromium.launch(
                executable_path=executable,
                args=self._launch_args(),
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
            )
        except Exception as exc:
            where = executable or "Playwright's own Chromium"
            raise BrowserNotFound(
                f"could not start {where}: {str(exc).splitlines()[0]}. Install Debian's "
                "chromium (make system) or set BRIEFING_CHROMIUM=/path/to/chromium"
            ) from exc

    async def _print(self, html_path: str) -> bytes:
        from playwright.async_api import async_playwright

        pw = await asyncio.wait_for(async_playwright().start(), STEP_TIMEOUT_SECONDS)
        try:
            browser = await asyncio.wait_for(self._launch(pw), STEP_TIMEOUT_SECONDS)
            try:
                return await on_browser(browser, self._print_on(browser, html_path))
            finally:
                await close_quietly(browser.close())
        finally:
            await close_quietly(pw.stop())

    async def _print_on(self, browser, html_path: str) -> bytes:
        page = await browser.new_page()
        try:
            await page.emulate_media(media="print")
            if self.toc_guess:  # filled as the contents are built: no second layout
                await page.add_init_script(
                    f"window.briefingTocGuess = {json.dumps(self.toc_guess)};"
                )
            await page.goto(Path(html_path).as_uri(), wait_until="load")
            await page.wait_for_timeout(self.page_render_timeout)
            params = {
                "format": "A4",
                "print_background": True,
                "display_header_footer": True,
                "header_template": "<span></span>",
                "footer_template": FOOTER.format(left=self.footer_text),
                "margin": {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                "outline": True,
                "tagged": True,
            }
            toc = await page.query_selector_all("[data-toc-target]")
            guess = self.toc_guess if toc else None  # the numbers filled in, checked below
            # the first printing measures where the headings fall; it must be tagged, since
            # Chromium builds the PDF outline (read for the page numbers) from the tagged tree
            pdf = await page.pdf(**params)
            if toc and page_count(pdf) >= self.toc_min_pages:
                titles = await page.evaluate(_TOC_TITLES_JS)
                numbers = _heading_pages(pdf, titles)
                if numbers != guess:  # no guess, or a wrong one: fill in what this one found
                    await page.evaluate(_TOC_FILL_JS, numbers)
                    pdf = await page.pdf(**params)
                    numbers = _heading_pages(pdf, titles)
                self.toc_pages = numbers
            elif toc:
                await page.evaluate("document.querySelectorAll('.toc').forEach(e => e.remove())")
                pdf = await page.pdf(**params)
            return pdf
        finally:
            await page.close()

    #: Contents page numbers to try first (heading id -> page; the build passes those of the
    #: briefing it replaces). The printing's own outline checks them: when they hold, one
    #: printing suffices, otherwise the numbers found are filled in and the page printed again.
    toc_guess: dict[str, int] | None = None
    #: The contents page numbers of the last printing (heading id -> page), or None.
    toc_pages: dict[str, int] | None = None

    def run_playwright(self, html: str) -> bytes:
        """Print ``html`` to PDF bytes on a browser of its own (``jupyter nbconvert --to
        briefing_pdf``, the tests; a build prints in :mod:`analysis.pipeline.printer`), in a
        worker thread: the caller may run an event loop."""
        import threading

        outcome: list = []

        def run(path: str) -> None:
            try:
                outcome.append(asyncio.run(self._print(path)))
            except BaseException as exc:
                outcome.append(exc)

        with tempfile.TemporaryDirectory(prefix="briefing-html-") as tmp:
            path = Path(tmp) / "briefing.html"
            path.write_text(html, encoding="utf-8")
            worker = threading.Thread(target=run, args=(str(path),), daemon=True)
            worker.start()
            worker.join(PRINT_TIMEOUT_SECONDS + 2 * STEP_TIMEOUT_SECONDS)
        if not outcome:
            raise PrintTimeout(f"the PDF export took longer than {PRINT_TIMEOUT_SECONDS} s")
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]


#: Longest a printing on a running browser may take; a browser that dies is noticed at once.
PRINT_TIMEOUT_SECONDS = 240
#: Longest starting or stopping Playwright's driver or the browser may take.
STEP_TIMEOUT_SECONDS = 60


class PrintTimeout(RuntimeError):
    """The browser did not finish (or died) in time; the message is one line."""


async def on_browser(browser, work, timeout: float = PRINT_TIMEOUT_SECONDS):
    """Await ``work`` (a coroutine printing on ``browser``) for at most ``timeout`` seconds, and
    no longer than the browser lives: a browser that dies (killed, crashed) ends the wait at once
    with :class:`PrintTimeout`, whatever Playwright's own call is still waiting for."""
    gone = asyncio.get_running_loop().create_future()

    def disconnected(*_) -> None:
        if not gone.done():
            gone.set_result(None)

    browser.on("disconnected", disconnected)
    if not browser.is_connected():
        disconnected()
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task, gone}, timeout=timeout, return_when="FIRST_COMPLETED")
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(BaseException):
        await asyncio.wait_for(task, 5)
    if gone.done():
        raise PrintTimeout("Chromium stopped while printing the PDF")
    raise PrintTimeout(f"the PDF export took longer than {timeout:.0f} s")


async def close_quietly(closing, timeout: float = 10) -> None:
    """Await ``closing`` (closing the browser, stopping the driver) for at most ``timeout``
    seconds; a failure or a hang there changes nothing of what was printed."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(closing, timeout)


_TOC_TITLES_JS = """() => Array.from(document.querySelectorAll('[data-toc-target]'))
    .map(e => ({id: e.dataset.tocTarget,
                text: (document.getElementById(e.dataset.tocTarget) || {}).textContent || ''}))"""

_TOC_FILL_JS = """(numbers) => {
    for (const [id, n] of Object.entries(numbers)) {
        const cell = document.querySelector(`[data-toc-target="${id}"] .toc-page`);
        if (cell) cell.textContent = String(n);
    }
}"""


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF (the one place that counts them: TOC decision, manifest)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _normalise(text: str) -> str:
    return " ".join(text.replace("¶", " ").split()).lower()


def _outline_pages(reader) -> dict[str, int]:
    """Title -> 1-based page of every entry of the PDF outline (Chromium builds it from h1-h6)."""
    found: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = _normalise(str(item.title))
            if title and title not in found:
                found[title] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return found


def _heading_pages(pdf: bytes, headings: list[dict]) -> dict[str, int]:
    """Page on which each TOC heading starts, read from the first printing's outline."""
    from pypdf import PdfReader

    pages = _outline_pages(PdfReader(io.BytesIO(pdf)))
    out: dict[str, int] = {}
    for h in headings:
        page = pages.get(_normalise(h["text"]))
        if page is not None:
            out[h["id"]] = page
    return out
