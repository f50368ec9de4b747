"""How the briefing prints numbers: one formatter per kind of value, with a true minus sign.

Every section formats through these, so the same value reads the same everywhere (and in
``figures.json``, which records each number as printed)."""

from __future__ import annotations


def _minus(text: str) -> str:
    """A true minus sign, and no negative zero ('−0.00' reads as a finding)."""
    if text.lstrip("+-").strip("0.,%$ bn×") == "":
        text = text.replace("-", "").replace("+", "")
    return text.replace("-", "−")


def usd_bn(x: float) -> str:
    """US dollars as '$240.1 bn' ('−$38.0 bn' when negative)."""
    return _minus(f"{'-' if x < 0 else ''}${abs(x) / 1e9:,.1f} bn")


def pct(x: float, signed: bool = True) -> str:
    return _minus(f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%")


def index_points(x: float) -> str:
    """A composite value, signed with a true minus sign: '+4.2', '−3.1'."""
    return _minus(f"{x:+.1f}")


def slope(x: float) -> str:
    return _minus(f"{x:+.2f}")


def ratio(x: float) -> str:
    return _minus(f"{x:.2f}")


def times(x: float) -> str:
    return f"×{x:.1f}"


def tiv(x: float) -> str:
    """SIPRI TIV, millions: '1,234'."""
    return _minus(f"{x:,.0f}")


def signed2(x: float) -> str:
    return _minus(f"{x:+.2f}")


def count(x: int) -> str:
    return _minus(f"{int(x):,}")


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return word if n == 1 else (plural_word or word + "s")


def share_of_draws(x: float) -> str:
    """A share of the draws: '48%'."""
    return f"{x * 100:.0f}%"


NA = "n/a"


def share(x: float) -> str:
    return pct(x, signed=False)


def mt(x: float) -> str:
    return f"{x:,.1f} Mt"


def bcm(x: float) -> str:
    return f"{x:,.1f} bcm"


def runs(years: list[int]) -> str:
    """'2006–2016, 2019' for [2006, ..., 2016, 2019]."""
    out: list[str] = []
    for y in sorted(years):
        if out and int(out[-1].split("–")[-1]) == y - 1:
            out[-1] = f"{out[-1].split('–')[0]}–{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


def publisher(source: str, width: int = 48) -> str:
    """The publisher a ``source`` cell names first, cut to ``width`` characters."""
    first = source.split(",")[0].split(";")[0].strip()
    return first if len(first) <= width else first[: width - 1] + "…"
