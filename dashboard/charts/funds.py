"""Charts of 资金 (plain Altair, no Streamlit)."""

import altair as alt
import pandas as pd

from dashboard.charts import PALETTE, styled


def amounts_chart(long: pd.DataFrame, *, key: str, order: list, labels: dict[str, str], step: int = 14) -> alt.Chart:
    """Allocated, disbursed and spent side by side per group (horizontal bars, one colour per amount).

    `long` is transforms.funds.long_amounts's frame; `order` the groups top to bottom; `labels` names the
    group (key), the measure legend, the amount and the axis (with its unit); `step` is the height of one bar.
    """
    measures = list(dict.fromkeys(long["measure"]))
    tooltip = [
        alt.Tooltip(f"{key}:N", title=labels["key"]),
        alt.Tooltip("measure:N", title=labels["measure"]),
        alt.Tooltip("amount:Q", title=labels["amount"], format=",.2f"),
    ]
    chart = (
        alt.Chart(long)
        .mark_bar(height=alt.RelativeBandSize(0.9))
        .encode(
            y=alt.Y(f"{key}:N", sort=list(order), title=None, axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("measure:N", sort=measures),
            x=alt.X("amount:Q", title=labels["axis"]),
            color=alt.Color(
                "measure:N",
                sort=measures,
                title=None,
                scale=alt.Scale(domain=measures, range=PALETTE[1:4]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=tooltip,
        )
        .properties(width="container", height=alt.Step(step))
    )
    return styled(chart)
