"""The SCO and BRICS membership timeline."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.render.figures import BLUE, GREY, INK, ORANGE, _new


def organisations_figure(org: pd.DataFrame, names: dict[str, str], *, start, end) -> Figure:
    """One row per (organisation, state): a bar from founding/accession to the end of the axis,
    a hollow marker at observer status or an invitation; the range shaded."""
    members = org[org["event"].isin(["founding", "accession", "observer", "invitation"])]
    rows = (
        members.sort_values("date")
        .groupby(["organisation", "member"], sort=False)["date"]
        .min()
        .reset_index()
        .sort_values(["organisation", "date"], ascending=[False, True])
    )
    height = 0.9 + 0.17 * len(rows)
    fig, (ax,) = _new(height=height)
    right = max(pd.Timestamp(end), org["date"].max()) + pd.Timedelta(days=365)
    left = min(pd.Timestamp(start), org["date"].min()) - pd.Timedelta(days=365)
    ax.axvspan(pd.Timestamp(start), pd.Timestamp(end), facecolor="#cfdceb", alpha=0.45, lw=0)
    colour = {"SCO": BLUE, "BRICS": ORANGE}
    labels = []
    for i, r in enumerate(rows.itertuples(index=False)):
        own = members[(members["organisation"] == r.organisation) & (members["member"] == r.member)]
        joined = own[own["event"].isin(["founding", "accession"])]["date"]
        if len(joined):
            ax.barh(i, (right - joined.min()).days, left=joined.min(), height=0.6,
                    color=colour[r.organisation], lw=0)  # fmt: skip
        for d in own[own["event"].isin(["observer", "invitation"])]["date"]:
            ax.plot(d, i, marker="o", mfc="white", mec=INK, ms=4)
        labels.append(f"{r.organisation}: {names.get(r.member, r.member)}")
    ax.axvline(pd.Timestamp(end), color=GREY, ls="--", lw=0.8)
    ax.set_yticks(range(len(labels)), labels, fontsize=6.5)
    ax.invert_yaxis()
    ax.set_xlim(left, right)
    ax.grid(axis="x", color="#cccccc", lw=0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Year")
    return fig
