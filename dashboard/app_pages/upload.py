"""数据上传: check files with the import pipeline (dry run), show the preview and every issue, then commit.

Every rule lives in culture_dash.ingest: this page only calls import_file (dry run, then for real) and shows
what it says. Nothing is written before the commit button, which errors disable.
"""

import datetime as dt
import functools
import time

import streamlit as st

from culture_dash.formatting import month_label, plain
from culture_dash.ingest.export import report_xlsx
from culture_dash.ingest.kinds import KIND_ORDER
from culture_dash.ingest.pipeline import import_file
from culture_dash.periods import month_end
from culture_dash.permissions import may_upload
from culture_dash.transforms import uploads as transforms
from dashboard import data, data_upload, tablet
from dashboard.auth_ui import require_page
from dashboard.i18n import t

BIG_FILE = 256 * 1024  # bytes (~6,000 rows): a file this size takes about a second, so its progress bar shows at once
MAX_SHOWN_ISSUES = 20_000  # the downloadable report always has every issue

user = require_page("upload")
st.title(t("upload.title"))
st.caption(t("upload.intro"))

today = dt.date.today()
kinds = [kind for kind in KIND_ORDER if may_upload(user.role, kind)]
scope = (
    (user.actor.township_codes, user.actor.venue_codes) if user.role == "local_staff" else (None, None)
)  # a local user's templates list only their own venues


def kind_label(kind: str | None) -> str:
    return t(f"upload.kind_{kind}") if kind else t("upload.kind_unknown")


# ── Templates ────────────────────────────────────────────────────────────────────────────────────────────────
with st.expander(t("upload.templates"), icon=":material/download:"):
    registry_versions = data.version(*data_upload.MONTHLY)
    month = data_upload.template_month(registry_versions, today)
    venues = data_upload.scope_venues(registry_versions, *scope, open_by=month_end(month))
    st.caption(t("upload.templates_help", month=month_label(month), venues=len(venues)))
    for kind in kinds:
        label_column, csv_column, xlsx_column = st.columns([4, 2, 2], vertical_alignment="center")
        label_column.markdown(kind_label(kind))
        for column, file_format, mime in (
            (csv_column, "csv", "text/csv"),
            (xlsx_column, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ):
            column.download_button(
                t(f"upload.template_{file_format}"),
                data=functools.partial(data_upload.template_file, kind, file_format, venues, month),
                file_name=t("upload.template_file", kind=kind_label(kind), ext=file_format),
                mime=mime,
                on_click="ignore",
                icon=":material/download:",
                key=f"template_{kind}_{file_format}",
                width="stretch",
            )

# ── Files ────────────────────────────────────────────────────────────────────────────────────────────────────
limit = st.get_option("server.maxUploadSize")
files = st.file_uploader(
    t("upload.uploader", mb=limit),
    type=["csv", "xlsx", "xls"],
    accept_multiple_files=True,
    help=t("upload.uploader_help", mb=limit),
    key="upload_files",
)
if not files:
    st.info(t("upload.nothing_yet"))
    st.stop()


def progress_bar(size: int):
    """A progress callback for import_file: the bar appears at once for a big file, else after a second."""
    started, holder, bar = time.monotonic(), st.empty(), None

    def update(stage: str, fraction: float) -> None:
        nonlocal bar
        if fraction >= 1:
            holder.empty()
            return
        if bar is None and size < BIG_FILE and time.monotonic() - started < 1:
            return
        bar = holder.progress(fraction, text=t(f"upload.after_{stage}"))  # the pipeline names the step it finished

    update("start", 0.05)
    return update


def check(file) -> object:
    """The pipeline's dry run for a file, kept per file and data version (a commit anywhere re-checks)."""
    checks = st.session_state.setdefault("upload_checks", {})
    key = (file.file_id, data_upload.all_versions())
    if key not in checks:
        content = file.getvalue()
        with data.session() as s:
            checks[key] = import_file(
                s, content, file.name, actor=user.actor, dry_run=True, today=today, progress=progress_bar(len(content))
            )
    return checks[key]


def show_changes(report) -> None:
    for column, (records, months, title) in zip(
        st.columns(2),
        ((report.by_month, True, "by_month"), (report.by_township, False, "by_township")),
        strict=True,
    ):
        table = transforms.change_table(records, months=months)
        if table.empty:
            continue
        column.markdown(f"**{t(f'upload.{title}')}**")
        column.dataframe(
            table.rename(
                columns={
                    "key": t(f"upload.{title}_key"),
                    "inserted": t("upload.inserted"),
                    "replaced": t("upload.replaced"),
                    "unchanged": t("upload.unchanged"),
                }
            ),
            hide_index=True,
            width="stretch",
        )


def show_result(report) -> None:
    """What a commit did."""
    if not report.accepted:
        st.error(plain(report.summary()), icon=":material/error:")
        return
    if report.no_change:
        st.info(plain(report.summary()), icon=":material/check:")
        return
    st.success(plain(report.summary()), icon=":material/task_alt:")
    inserted, replaced, unchanged = st.columns(3)
    inserted.metric(t("upload.inserted"), f"{report.inserted:,}")
    replaced.metric(t("upload.replaced"), f"{report.replaced:,}")
    unchanged.metric(t("upload.unchanged"), f"{report.unchanged:,}")
    show_changes(report)
    st.page_link("app_pages/history.py", label=t("upload.to_history"), icon=":material/history:")


def show_check(report) -> None:
    """The dry run: the kind, encoding and rows, every issue, the preview."""
    if report.file_error:
        st.error(plain(report.summary()), icon=":material/block:")
    elif not report.accepted:
        st.error(plain(report.summary()), icon=":material/error:")
    elif report.no_change:
        same = t("upload.same_file", batch=report.same_file_batch) if report.same_file_batch else ""
        st.info(t("upload.no_change") + same, icon=":material/check:")
    else:
        st.success(plain(report.summary()), icon=":material/fact_check:")
    if report.encoding:
        st.markdown(t("upload.detected", kind=kind_label(report.kind), encoding=report.encoding))
        rows_column, errors_column, warnings_column = st.columns(3)
        rows_column.metric(t("upload.rows"), f"{report.rows:,}")
        errors_column.metric(t("upload.errors"), f"{report.error_count:,}")
        warnings_column.metric(t("upload.warnings"), f"{report.warning_count:,}")
    if len(report.issues):
        shown = report.issues.head(MAX_SHOWN_ISSUES)
        st.markdown(f"**{t('upload.issues', count=len(report.issues))}**")
        if len(report.issues) > MAX_SHOWN_ISSUES:
            st.caption(t("upload.issues_cut", shown=MAX_SHOWN_ISSUES))
        st.dataframe(
            shown.assign(level=shown["level"].map(lambda level: t(f"upload.level_{level}"))).rename(
                columns={
                    "level": t("upload.col_level"),
                    "row": t("upload.col_row"),
                    "column": t("upload.col_column"),
                    "value": t("upload.col_value"),
                    "message": t("upload.col_message"),
                }
            ),
            hide_index=True,
            width="stretch",
            height=tablet.table_height(len(shown), max_rows=10),
        )
    if len(report.issues) or report.file_error:
        st.download_button(
            t("upload.download_report"),
            data=functools.partial(report_xlsx, report),
            file_name=t("upload.report_file", name=report.file_name.rsplit(".", 1)[0]),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            icon=":material/download:",
            key=f"report_{report.sha256}",
        )
    if report.preview is not None:
        with st.expander(t("upload.preview", shown=len(report.preview), rows=report.rows), expanded=report.accepted):
            height = tablet.table_height(len(report.preview), max_rows=10)
            st.dataframe(report.preview, hide_index=True, width="stretch", height=height)


# Keep the checks and results of the files still in the uploader only (a check holds the whole parsed file).
present = {file.file_id for file in files}
checks = st.session_state.setdefault("upload_checks", {})
for key in [key for key in checks if key[0] not in present]:
    del checks[key]
results = st.session_state.setdefault("upload_results", {})
for file_id in [file_id for file_id in results if file_id not in present]:
    del results[file_id]
checked = [(file, results.get(file.file_id) or check(file)) for file in files]
# References first: a venue registry file is committed before the monthly file that names its venues.
checked.sort(key=lambda pair: KIND_ORDER.index(pair[1].kind) if pair[1].kind in KIND_ORDER else len(KIND_ORDER))

for file, report in checked:
    with st.container(border=True):
        st.subheader(plain(file.name), anchor=False)
        if file.file_id in results:
            show_result(report)
            continue
        show_check(report)
        if report.no_change or report.file_error:
            continue
        confirmed = True
        if report.accepted and report.warning_count:
            confirmed = st.checkbox(
                t("upload.confirm_warnings", count=report.warning_count), key=f"confirm_{file.file_id}"
            )
        blocked = not report.accepted
        if st.button(
            t("upload.commit", rows=f"{report.rows:,}"),
            type="primary",
            disabled=blocked or not confirmed,
            icon=":material/cloud_upload:",
            key=f"commit_{file.file_id}",
        ):
            content = file.getvalue()
            with data.session() as s:
                final = import_file(
                    s, content, file.name, actor=user.actor, today=today, progress=progress_bar(len(content))
                )
            final.sheet = final.preview = None  # the result is kept for the session: drop the file's cells
            results[file.file_id] = final
            st.rerun()
        if blocked:
            st.caption(t("upload.commit_blocked"))
