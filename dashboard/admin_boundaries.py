"""The admin page's boundary section: upload a township GeoJSON, see the match report (dry run), then import.

Every rule lives in culture_dash.boundaries; this only calls import_boundaries (dry run, then for real) and shows
what it says. Nothing is written before the confirm button, which a refused file never shows.
"""

import hashlib

import pandas as pd
import streamlit as st

from culture_dash.boundaries import CRS_CHOICES, BoundaryReport, import_boundaries
from culture_dash.formatting import plain
from culture_dash.queries import geo as queries
from culture_dash.transforms.uploads import local_time
from dashboard import data
from dashboard.i18n import t


def _status() -> None:
    with data.session() as s:
        status = queries.get_boundary_status(session=s)
    latest = status["latest"]
    if latest is None:
        st.caption(t("boundaries.current_none"))
        return
    st.caption(
        t(
            "boundaries.current",
            batch=latest["id"],
            time=local_time(pd.Series([latest["created_at"]])).iloc[0],
            user=plain(latest["username"]),
            file=plain(latest["file_name"]),
        )
    )


def _show(report: BoundaryReport) -> None:
    if not report.accepted:
        st.error(report.summary())
        return
    (st.info if report.dry_run or report.no_change else st.success)(report.summary())
    matched = pd.DataFrame(report.matched, columns=["code", "name", "feature", "method"])
    matched["method"] = matched["method"].map(lambda m: t(f"boundaries.method_{m}"))
    st.markdown(f"**{t('boundaries.matched_title', count=len(matched))}**")
    st.dataframe(
        matched,
        hide_index=True,
        column_config={
            "code": t("boundaries.col_code"),
            "name": t("boundaries.col_name"),
            "feature": t("boundaries.col_feature"),
            "method": t("boundaries.col_method"),
        },
    )
    if report.unmatched_townships:
        missing = pd.DataFrame(report.unmatched_townships, columns=["code", "name", "kept"])
        missing["kept"] = missing["kept"].map({True: t("boundaries.kept_yes"), False: t("boundaries.kept_no")})
        st.markdown(f"**{t('boundaries.unmatched_townships')}**")
        st.dataframe(
            missing,
            hide_index=True,
            column_config={
                "code": t("boundaries.col_code"),
                "name": t("boundaries.col_name"),
                "kept": t("boundaries.col_kept"),
            },
        )
    for key, items in (
        ("unmatched_features", report.unmatched_features),
        ("duplicates", report.duplicates),
        ("warnings", report.warnings),
    ):
        if items:
            st.warning(f"**{t(f'boundaries.{key}')}**\n\n" + "\n".join(f"- {plain(item)}" for item in items))


def render(user) -> None:
    """The section; `user` is the signed-in admin (auth_ui.SignedIn)."""
    st.subheader(t("boundaries.title"))
    st.caption(t("boundaries.intro"))
    _status()
    upload = st.file_uploader(t("boundaries.file"), type=["geojson", "json"], key="boundary_file")
    crs = st.segmented_control(
        t("boundaries.crs"),
        CRS_CHOICES,
        format_func=lambda c: t(f"boundaries.crs_{c}"),
        default="WGS84",
        required=True,
        help=t("boundaries.crs_help"),
        key="boundary_crs",
    )
    if upload is None:
        return
    content = upload.getvalue()
    # The dry run parses and simplifies the whole file: once per file and coordinate system, not per rerun.
    check_key = ("boundary_check", hashlib.sha256(content).hexdigest(), crs)
    if st.session_state.get("boundary_check_key") != check_key:
        with data.session() as s:
            st.session_state["boundary_check"] = import_boundaries(
                s, content, upload.name, crs=crs, actor=user.actor, dry_run=True
            )
        st.session_state["boundary_check_key"] = check_key
        st.session_state.pop("boundary_done", None)
    done = st.session_state.get("boundary_done")
    if done is not None:
        _show(done)
        return
    checked = st.session_state["boundary_check"]
    _show(checked)
    if checked.accepted and not checked.no_change and st.button(t("boundaries.confirm"), type="primary"):
        with data.session() as s:
            st.session_state["boundary_done"] = import_boundaries(s, content, upload.name, crs=crs, actor=user.actor)
        st.rerun()
