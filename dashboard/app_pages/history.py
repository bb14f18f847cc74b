"""上传记录: every upload batch, one batch's rows, and undo (through the pipeline's undo_batch, confirmed first)."""

import streamlit as st

from culture_dash.formatting import plain
from culture_dash.ingest.kinds import KINDS
from culture_dash.ingest.write import UndoRefused, undo_batch, undo_refusal
from culture_dash.transforms import uploads as transforms
from dashboard import data, data_upload, tablet
from dashboard.auth_ui import require_page
from dashboard.i18n import t
from models import UploadBatch

ROWS_SHOWN = 1000

user = require_page("history")
st.title(t("history.title"))
st.caption(t("history.intro"))


def kind_label(kind: str) -> str:
    return t(f"upload.kind_{kind}")


def status_label(row) -> str:
    if row["status"] == "undone":
        return t("history.status_undone")
    if row["status"] == "undo":
        return t("history.status_undo", of=int(row["undo_of"]))
    return t("history.status_committed")


message = st.session_state.pop("history_message", None)
if message:
    getattr(st, message[0])(message[1])

versions = data_upload.all_versions()
kinds, users = data_upload.batch_filters(versions)
if not kinds:
    st.info(t("history.empty"))
    st.stop()
# Filtered in SQL: the list holds only the newest BATCHES_SHOWN, so an old batch is found by narrowing the list.
filters = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
kind = filters.selectbox(
    t("history.filter_kind"),
    [None, *kinds],
    format_func=lambda k: t("history.filter_all_kinds") if k is None else kind_label(k),
    key="history_kind",
    width=220,
)
username = filters.selectbox(
    t("history.filter_user"),
    [None, *users],
    format_func=lambda u: t("history.filter_all_users") if u is None else u,
    key="history_user",
    width=220,
)
batches = data_upload.batches(versions, data_upload.BATCHES_SHOWN, kind, username)
if batches.empty:
    st.info(t("history.none_match"))
    st.stop()
if len(batches) == data_upload.BATCHES_SHOWN:
    st.caption(t("history.capped", count=f"{data_upload.BATCHES_SHOWN:,}"))

table = transforms.batch_table(batches)
table["kind"] = table["kind"].map(kind_label)
table["status"] = batches.apply(status_label, axis=1)
table["counts"] = table.apply(
    lambda r: t("history.counts", inserted=r["inserted"], replaced=r["replaced"], unchanged=r["unchanged"]), axis=1
)
columns = {
    "id": (t("history.col_id"), 44),
    "time": (t("history.col_time"), 124),
    "username": (t("history.col_user"), 76),
    "file_name": (t("history.col_file"), 132),
    "kind": (t("history.col_kind"), 128),
    "sha256": (t("history.col_sha"), 92),
    "counts": (t("history.col_counts"), 110),
    "status": (t("history.col_status"), 80),
}
st.dataframe(
    table[list(columns)].rename(columns={key: label for key, (label, _) in columns.items()}),
    hide_index=True,
    width="stretch",
    height=tablet.table_height(len(table), max_rows=10),
    column_config={
        label: st.column_config.Column(label, width=width, help=t("history.help_counts") if key == "counts" else None)
        for key, (label, width) in columns.items()
    },
)

times = dict(zip(table["id"], table["time"], strict=True))
files = dict(zip(table["id"], table["file_name"], strict=True))
batch_id = st.selectbox(
    t("history.open"),
    list(table["id"]),
    format_func=lambda i: t("history.option", id=i, time=times[i], file=files[i]),
    key="history_batch",
)
batch = data_upload.batch(versions, batch_id)
report = batch["report"]

with st.container(border=True):
    st.subheader(plain(t("history.detail", id=batch_id, file=batch["file_name"])), anchor=False)
    st.caption(plain(t("history.meta", user=batch["username"], time=times[batch_id], kind=kind_label(batch["kind"]))))
    st.caption(t("history.sha", sha=batch["sha256"]))
    if batch["status"] == "undo":
        st.info(
            t(
                "history.is_undo",
                of=batch["undo_of"],
                deleted=report.get("deleted", 0),
                restored=report.get("restored", 0),
            )
        )
    else:
        inserted, replaced, unchanged, warned = st.columns(4)
        inserted.metric(t("history.col_inserted"), f"{batch['rows_inserted']:,}")
        replaced.metric(t("history.col_replaced"), f"{batch['rows_replaced']:,}")
        unchanged.metric(t("history.col_unchanged"), f"{batch['rows_unchanged']:,}")
        warned.metric(t("history.col_warnings"), f"{batch['warnings']:,}")
        for column, (key, months) in zip(st.columns(2), (("by_month", True), ("by_township", False)), strict=True):
            changes = transforms.change_table(report.get(key, []), months=months)
            if changes.empty:
                continue
            column.markdown(f"**{t(f'upload.{key}')}**")
            column.dataframe(
                changes.rename(
                    columns={
                        "key": t(f"upload.{key}_key"),
                        "inserted": t("upload.inserted"),
                        "replaced": t("upload.replaced"),
                        "unchanged": t("upload.unchanged"),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        if report.get("warnings"):
            with st.expander(t("history.stored_warnings", count=len(report["warnings"]))):
                st.text("\n".join(report["warnings"]))

    if batch["status"] == "undone":
        undone_by = batches.loc[batches["id"] == batch_id, "undone_by"].iloc[0]
        st.info(t("history.was_undone", by=int(undone_by)) if undone_by is not None else t("history.status_undone"))

    if batch["kind"] in KINDS and batch["status"] != "undo":
        rows, total = data_upload.batch_rows(versions, batch_id, batch["kind"], ROWS_SHOWN)
        later = data_upload.later_changes(versions, batch_id)
        if total:
            st.markdown(f"**{t('history.rows', total=f'{total:,}')}**")
            if total > ROWS_SHOWN:
                st.caption(t("history.rows_cut", shown=ROWS_SHOWN))
            st.dataframe(
                transforms.batch_rows_table(rows, batch["kind"]),
                hide_index=True,
                width="stretch",
                height=tablet.table_height(len(rows), max_rows=10),
            )
        elif batch["status"] == "committed":
            st.caption(t("history.no_rows"))
        if not later.empty:
            items = "、".join(t("history.later_item", id=r.batch_id, rows=r.rows) for r in later.itertuples())
            st.caption(t("history.later", batches=items))

    # ── Undo ─────────────────────────────────────────────────────────────────────────────────────────────────
    if batch["status"] == "committed":
        refusal = undo_refusal(user.actor, UploadBatch(id=batch_id, kind=batch["kind"], username=batch["username"]))
        if refusal:
            st.caption(t("history.cannot_undo", reason=refusal))
        elif st.session_state.get("history_confirm") != batch_id:
            if st.button(t("history.undo"), help=t("history.undo_help"), icon=":material/undo:", key="history_undo"):
                st.session_state["history_confirm"] = batch_id
                st.rerun()
        else:
            st.warning(
                plain(
                    t(
                        "history.confirm",
                        id=batch_id,
                        file=batch["file_name"],
                        inserted=f"{batch['rows_inserted']:,}",
                        replaced=f"{batch['rows_replaced']:,}",
                    )
                ),
                icon=":material/warning:",
            )
            yes, no, _ = st.columns([2, 2, 6])
            if yes.button(t("history.confirm_yes"), type="primary", key="history_undo_yes", width="stretch"):
                st.session_state.pop("history_confirm", None)
                try:
                    with data.session() as s:
                        undo = undo_batch(s, batch_id, username=user.username, actor=user.actor)
                        undo_id = undo.id
                except UndoRefused as refused:
                    st.session_state["history_message"] = ("error", plain(str(refused)))
                else:
                    st.session_state["history_message"] = ("success", t("history.undone", id=batch_id, undo=undo_id))
                st.rerun()
            if no.button(t("history.confirm_no"), key="history_undo_no", width="stretch"):
                st.session_state.pop("history_confirm", None)
                st.rerun()
