"""Charts of 计划进度 (plain Altair, no Streamlit)."""

import altair as alt
import pandas as pd

from culture_dash.formatting import percent
from dashboard.charts import PALETTE, styled


def activities_chart(progress: pd.DataFrame, *, labels: dict[str, str]) -> alt.Chart:
    """Per category: the year's plan (grey bar), held so far (blue bar) and the plan's share for the months so far
    (black tick), the rate printed after the bars. `progress` is transforms.plan.activity_progress's frame (合计 is
    left out); `labels` names category, planned, held, expected, rate and axis."""
    frame = progress[progress["category"] != "合计"][["category", "planned", "held", "expected", "rate"]].copy()
    frame["expected"] = frame["expected"].astype(float).round(1)
    frame["rate_text"] = [percent(r) if r is not None and not pd.isna(r) else "—" for r in frame["rate"]]
    frame = frame.drop(columns="rate")
    order = list(frame["category"])
    tooltip = [
        alt.Tooltip("category:N", title=labels["category"]),
        alt.Tooltip("planned:Q", title=labels["planned"], format=",.0f"),
        alt.Tooltip("held:Q", title=labels["held"], format=",.0f"),
        alt.Tooltip("expected:Q", title=labels["expected"], format=",.1f"),
        alt.Tooltip("rate_text:N", title=labels["rate"]),
    ]
    base = alt.Chart(frame).encode(
        y=alt.Y("category:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)), tooltip=tooltip
    )
    top = float(max(frame["planned"].max(), frame["held"].max(), 1)) * 1.2
    x = alt.X("planned:Q", title=labels["axis"], scale=alt.Scale(domain=[0, top], nice=False))
    planned = base.mark_bar(color="#CBD5E1", height=30).encode(x=x)
    held = base.mark_bar(color=PALETTE[1], height=16).encode(x="held:Q")
    expected = base.mark_tick(color="#111827", thickness=3, size=36).encode(x="expected:Q")
    rate = base.mark_text(align="left", dx=8, fontSize=15, fontWeight="bold").encode(x="end:Q", text="rate_text:N")
    rate = rate.transform_calculate(end="max(datum.held, datum.planned)")
    return styled(alt.layer(planned, held, expected, rate).properties(width="container", height=alt.Step(52)))


def history_chart(points: pd.DataFrame, *, target: float | None, labels: dict[str, str]) -> alt.Chart:
    """A task's reported value at each update (line and points) with the target as a dashed red rule.

    `points` is transforms.plan.history_points's frame; `labels` names as_of, actual, status, target and axis.
    """
    tooltip = [
        alt.Tooltip("as_of:T", title=labels["as_of"], format="%Y-%m-%d"),
        alt.Tooltip("actual:Q", title=labels["actual"], format=",.2~f"),
        alt.Tooltip("status:N", title=labels["status"]),
    ]
    top = max([float(points["actual"].max()) if len(points) else 0, target or 0, 1]) * 1.1
    line = (
        alt.Chart(points)
        .mark_line(point=alt.OverlayMarkDef(size=90, color=PALETTE[1]), color=PALETTE[1], strokeWidth=3)
        .encode(
            x=alt.X("as_of:T", title=labels["as_of_axis"], axis=alt.Axis(format="%Y-%m-%d", labelAngle=0)),
            y=alt.Y("actual:Q", title=labels["axis"], scale=alt.Scale(domain=[0, top], nice=False)),
            tooltip=tooltip,
        )
    )
    layers = [line]
    if target is not None and not pd.isna(target):
        rule = pd.DataFrame({"target": [float(target)]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=PALETTE[0], strokeDash=[6, 4], strokeWidth=2)
            .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title=labels["target"], format=",.2~f")])
        )
    return styled(alt.layer(*layers).properties(width="container", height=260))
