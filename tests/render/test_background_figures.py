"""Figures made in forked children come back as the kernel would make them; a child that fails
or hangs costs time, never the figure; outside the build figures are made at once."""

from __future__ import annotations

import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from analysis.render import figures as F
from analysis.render.document import Document
from analysis.render.figures import background as B

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def chart(label: str):
    F.apply_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [3, 1, 2], label=label)
    ax.set_title(label)
    return fig


@pytest.fixture()
def active(monkeypatch):
    monkeypatch.setenv(B.ENV, "1")
    bg = B.start()
    yield bg
    monkeypatch.delenv(B.ENV)
    B.start()  # back to figures at once; children stopped
    assert B._ACTIVE is None


def test_children_make_what_the_kernel_would(active):
    expected = [F._svg(chart(t)) for t in ("one", "two")]
    html = "<p>" + "</p><p>".join(F.to_svg(chart(t)) for t in ("one", "two")) + "</p>"
    assert active.pending() and "<svg" not in html and len(B.TOKEN.findall(html)) == 2
    assert active.resolve(html) == "<p>" + "</p><p>".join(expected) + "</p>"
    assert not active.pending()


def test_numbered_figures_keep_their_order_and_numbers(active):
    plain, later = Document(), Document()
    B._ACTIVE, saved = None, B._ACTIVE
    want = [plain.figure_later(lambda t=t: (chart(t), f"caption {t}"), ["events"]) for t in "ab"]
    B._ACTIVE = saved
    got = [later.figure_later(lambda t=t: (chart(t), f"caption {t}"), ["events"]) for t in "ab"]
    assert later.figures == plain.figures == 2
    assert [active.resolve(g) for g in got] == want
    assert "<b>Figure 2.</b> caption b" in want[1]


def test_a_failing_child_leaves_the_figure_to_the_kernel(active):
    parent = os.getpid()

    def make():
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return F._svg(chart("fallback"))

    out = active.resolve(B.later(make))
    assert out.startswith("<svg") and "fallback" in out


def test_a_hanging_child_is_killed_and_the_kernel_makes_it(active, monkeypatch):
    parent = os.getpid()
    monkeypatch.setattr(B, "DEADLINE_SECONDS", 0.5)

    def make():
        if os.getpid() != parent:
            time.sleep(60)
        return F._svg(chart("slow"))

    started = time.monotonic()
    out = active.resolve(B.later(make))
    assert out.startswith("<svg") and time.monotonic() - started < 10


def test_hanging_children_share_one_deadline(active, monkeypatch):
    """Five hung children cost one deadline, not five (they were waited for one by one)."""
    parent = os.getpid()
    monkeypatch.setattr(B, "DEADLINE_SECONDS", 2.0)

    def make(n=0):
        if os.getpid() != parent:
            time.sleep(60)
        return f"<svg>{n}</svg>"

    html = "".join(B.later(lambda n=n: make(n)) for n in range(5))
    quick = B.later(lambda: "<svg>quick</svg>")
    started = time.monotonic()
    active.gather()
    assert time.monotonic() - started < 2.0 * 2
    assert active.resolve(html) == "".join(f"<svg>{n}</svg>" for n in range(5))
    assert active.resolve(quick) == "<svg>quick</svg>" and not active.pending()


def test_a_figure_neither_side_can_make_is_an_error_naming_it(active):
    def make():
        raise ValueError("no data for this chart")

    html = B.later(make)
    with pytest.raises(B.FigureMissing, match=r"figure 0 was made neither .* no data for this"):
        active.resolve(html)
    with pytest.raises(B.FigureMissing, match="no figure for placeholder 7"):
        active.resolve("<!--briefing-figure-7-->")


def test_only_the_build_asks_for_background_figures(monkeypatch):
    monkeypatch.delenv(B.ENV, raising=False)
    assert B.start() is None
    assert F.to_svg(chart("now")).startswith("<svg")


def test_the_build_sets_it_for_its_kernel_only():
    from analysis.pipeline.kernel import kernel_environment

    before = os.environ.get(B.ENV)
    with kernel_environment(None, None):
        assert os.environ[B.ENV] == "1"
    assert os.environ.get(B.ENV) == before
