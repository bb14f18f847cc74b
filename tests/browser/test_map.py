"""The map on an iPad Pro 11 in landscape with the network cut off in spirit: not one request leaves the app's own
host; hovering a township shows its tooltip and tapping it filters the page to that township."""

import re
from urllib.parse import urlsplit

from tests.browser.conftest import login, settle

# Fractions of the chart's box to try, centre first: the first spot whose tooltip is a township's (not a venue's).
SPOTS = [(fx, fy) for fy in (0.5, 0.4, 0.6, 0.3, 0.7) for fx in (0.35, 0.25, 0.45, 0.55, 0.65)]


def test_map_works_offline_shows_tooltips_and_filters_on_tap(demo_server, tablet, tmp_path):
    own_host = urlsplit(demo_server).netloc
    outside: list[str] = []
    tablet.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).netloc != own_host
            else None
        ),
    )
    login(tablet, demo_server, "leader")
    tablet.get_by_role("link", name="地图").click()
    tablet.wait_for_url(re.compile(r"/map$"))
    tablet.get_by_role("heading", name="地图").wait_for(timeout=30_000)
    settle(tablet)  # not the overview's chart, still on screen while the map page runs
    chart = tablet.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for(timeout=30_000)
    tablet.locator("canvas").first.wait_for()
    tablet.wait_for_timeout(1_500)  # Vega draws after the fonts load
    box = chart.bounding_box()
    assert box["height"] >= 380 and box["width"] >= 600, box
    tablet.screenshot(path=str(tmp_path / "map.png"))

    tooltip = tablet.locator("#vg-tooltip-element")
    name, spot = None, None
    for fx, fy in SPOTS:
        spot = (box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        tablet.mouse.move(*spot)
        tablet.wait_for_timeout(250)
        if tooltip.is_visible():
            text = tooltip.inner_text()
            if "类型" in text and "场馆" not in text:
                name = re.search(r"街镇\s+(\S+)", text).group(1)
                assert "统计期" in text and "人次/万人" in text, text
                break
    assert name, "no spot of the map showed a township's tooltip"
    tablet.screenshot(path=str(tmp_path / "map-tooltip.png"))

    tablet.mouse.click(*spot)
    tablet.get_by_role("heading", name=re.compile(f"^{re.escape(name)}（")).wait_for(timeout=15_000)
    tablet.get_by_text(re.compile(f"^{re.escape(name)}的场馆")).wait_for()
    tablet.screenshot(path=str(tmp_path / "map-township.png"))
    tablet.get_by_role("button", name=re.compile("清除选择")).click()
    tablet.get_by_role("heading", name=re.compile("^全区")).wait_for(timeout=15_000)

    assert outside == []
