"""Altair chart builders (one module per area). Each returns an alt.Chart and is tested without Streamlit."""

import altair as alt

# Installed by `apt-get install fonts-noto-cjk`; Vega falls back to the browser's sans-serif when absent.
CJK_FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
# A palette that survives a washed-out projector: saturated, distinct in lightness.
PALETTE = ["#B7312C", "#1F5AA6", "#E08E0B", "#2E8B57", "#6A3D9A", "#00838F", "#8C564B", "#D6457A"]


def styled(chart: alt.Chart) -> alt.Chart:
    """The house look: CJK font, readable sizes, the projector palette."""
    return (
        # Room on the right for the last month's point, which sits on the plot's edge and was cut in half.
        chart.configure(font=CJK_FONT, padding={"left": 5, "top": 5, "right": 14, "bottom": 5})
        .configure_axis(labelFontSize=13, titleFontSize=14)
        .configure_legend(labelFontSize=13, titleFontSize=14)
        .configure_range(category=PALETTE)
    )
