"""Figures printed in forked children come back as the kernel would print them; a child that
fails or hangs costs time, never the figure; outside the build figures print at once."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from analysis.render import figures as F
from analysis.render.figures import background as B

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def chart(label: str):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [3, 1, 2], label=label)
    ax.set_title(label)
    return fig


def test_children_print_what_the_kernel_would():
    F.apply_style()
    expected = [F._svg(chart(t)) for t in ("one", "two")]
    bg = B.BackgroundFigures(F._svg)
    html = "<p>" + "</p><p>".join(bg.submit(chart(t)) for t in ("one", "two")) + "</p>"
    assert bg.pending() and "<svg" not in html
    out = bg.resolve(html)
    assert out == "<p>" + "</p><p>".join(expected) + "</p>"
    assert not bg.pending()


def test_a_failing_child_leaves_the_figure_to_the_kernel():
    parent = os.getpid()

    def render(fig):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return F._svg(fig)

    bg = B.BackgroundFigures(render)
    out = bg.resolve(bg.submit(chart("fallback")))
    assert out.startswith("<svg") and "fallback" in out


def test_a_hanging_child_is_killed_and_the_kernel_prints(monkeypatch):
    import time

    parent = os.getpid()
    monkeypatch.setattr(B, "CHILD_TIMEOUT_SECONDS", 0.5)

    def render(fig):
        if os.getpid() != parent:
            time.sleep(60)
        return F._svg(fig)

    bg = B.BackgroundFigures(render)
    started = time.monotonic()
    out = bg.resolve(bg.submit(chart("slow")))
    assert out.startswith("<svg") and time.monotonic() - started < 10


def test_only_the_build_asks_for_background_printing(monkeypatch):
    monkeypatch.delenv(B.ENV, raising=False)
    assert F.print_in_background() is None
    assert F.to_svg(chart("now")).startswith("<svg")
    monkeypatch.setenv(B.ENV, "1")
    try:
        bg = F.print_in_background()
        assert bg is not None and B.TOKEN.fullmatch(F.to_svg(chart("later")))
    finally:
        monkeypatch.delenv(B.ENV)
        F.print_in_background()  # back to printing at once; the child is stopped
    assert F._BACKGROUND is None


def test_the_build_sets_it_for_its_kernel_only():
    from analysis.build.kernel import kernel_environment

    before = os.environ.get(B.ENV)
    with kernel_environment(None, None):
        assert os.environ[B.ENV] == "1"
    assert os.environ.get(B.ENV) == before
