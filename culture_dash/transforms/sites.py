"""示范点与免费开放: site filters, the stage pipeline, rooms, funds and service per 万元 (no database or Streamlit)."""

import pandas as pd

# A 基层综合性文化服务中心 must open all three rooms.
ROOMS = ("has_library_room", "has_e_reading_room", "has_multi_room")
MONEY = ("allocated", "disbursed", "spent", "site_allocated", "site_disbursed", "site_spent")


def filter_sites(
    sites: pd.DataFrame,
    *,
    batch_years: list[int] | tuple[int, ...] = (),
    levels: list[str] | tuple[str, ...] = (),
    stages: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """The sites matching every non-empty filter (an empty filter keeps all)."""
    keep = pd.Series(True, index=sites.index)
    for column, values in (("batch_year", batch_years), ("level", levels), ("stage", stages)):
        if values:
            keep &= sites[column].isin(list(values))
    return sites[keep].reset_index(drop=True)


def stage_pipeline(sites: pd.DataFrame, stages: tuple[str, ...]) -> pd.DataFrame:
    """Sites per stage per batch year, every stage × batch year present (zeros included), in the stages' order.

    Returns batch_year, stage, stage_order, sites. A site with no stage is not counted.
    """
    years = sorted(sites["batch_year"].unique())
    grid = pd.MultiIndex.from_product([years, list(stages)], names=["batch_year", "stage"])
    counts = sites.groupby(["batch_year", "stage"]).size().reindex(grid, fill_value=0)
    out = counts.rename("sites").reset_index()
    out["stage_order"] = out["stage"].map({s: i for i, s in enumerate(stages)})
    out["batch_year"] = out["batch_year"].astype(int)
    out["sites"] = out["sites"].astype(int)
    return out[["batch_year", "stage", "stage_order", "sites"]]


def per_wan(service: pd.Series, spent: pd.Series) -> pd.Series:
    """Service ÷ spent 万元; missing (shown "—") when nothing was spent or the service was not reported."""
    spent = spent.astype("Float64")
    return (service.astype("Float64") / spent.where(spent > 0)).astype(float)


def per_wan_text(values: pd.Series, pattern: str) -> list[str]:
    """Per-万元 figures written with `pattern`; "—" where nothing was spent (no figure can be computed)."""
    return ["—" if pd.isna(v) else pattern.format(v) for v in values]


def site_table(
    sites: pd.DataFrame, funds: pd.DataFrame, service: pd.DataFrame, *, room_names: dict[str, str]
) -> pd.DataFrame:
    """One row per site: its registry facts, rooms, the year's funds (0 when none) and service, and per 万元.

    Adds `missing_rooms` (the names of required rooms not recorded as open, joined by "、"; "" when all are),
    `rooms_complete`, `visits_per_wan`, `activities_per_wan` (over all programmes' spending).
    """
    out = sites.merge(funds, on="code", how="left").merge(service, on="code", how="left")
    out[list(MONEY)] = out[list(MONEY)].astype(float).fillna(0.0)
    out["months"] = out["months"].fillna(0).astype(int)
    for room in ROOMS:
        out[room] = out[room].map(lambda v: bool(v) if pd.notna(v) else False)
    out["missing_rooms"] = [
        "、".join(room_names[room] for room in ROOMS if not row[room]) for _, row in out[list(ROOMS)].iterrows()
    ]
    out["rooms_complete"] = out["missing_rooms"] == ""
    out["visits_per_wan"] = per_wan(out["visits"], out["spent"])
    out["activities_per_wan"] = per_wan(out["activities"], out["spent"])
    return out


def totals(table: pd.DataFrame) -> dict[str, float | int | None]:
    """The shown sites together: count, funds (万元), and service per 万元 over the sites that spent something
    (a site with nothing spent has no per-万元 figure and would only inflate it); None when none spent."""
    spent = float(table["spent"].sum())
    paying = table[table["spent"] > 0]
    visits = float(paying["visits"].sum()) if len(paying) else 0.0
    activities = float(paying["activities"].sum()) if len(paying) else 0.0
    return {
        "sites": len(table),
        "missing_rooms": int((~table["rooms_complete"]).sum()),
        "allocated": float(table["allocated"].sum()),
        "disbursed": float(table["disbursed"].sum()),
        "spent": spent,
        "site_spent": float(table["site_spent"].sum()),
        "paying_sites": len(paying),
        "visits_per_wan": visits / spent if spent > 0 else None,
        "activities_per_wan": activities / spent if spent > 0 else None,
    }
