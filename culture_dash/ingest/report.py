"""What an import says back: every error and warning with its Excel row, header, value and Chinese reason."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from culture_dash.ingest.reading import RawTable

ISSUE_COLUMNS = ["level", "row", "column", "value", "message"]
LEVEL_LABEL = {"error": "错误", "warning": "警告"}


class IssueLog:
    """Collects issues as small frames (a 1M-row file can have many) and concatenates once."""

    def __init__(self) -> None:
        self._frames: list[pd.DataFrame] = []

    def add(self, level: str, message: str, *, row=None, column=None, value=None) -> None:
        self._frames.append(
            pd.DataFrame([{"level": level, "row": row, "column": column, "value": value, "message": message}])
        )

    def add_many(
        self,
        level: str,
        mask: pd.Series,
        *,
        rows: pd.Series,
        column: str | None,
        values: pd.Series | None,
        messages: pd.Series | str,
    ) -> None:
        if not mask.any():
            return
        frame = pd.DataFrame(
            {
                "level": level,
                "row": rows[mask].to_numpy(),
                "column": column,
                "value": values[mask].to_numpy() if values is not None else None,
                "message": messages[mask].to_numpy() if isinstance(messages, pd.Series) else messages,
            }
        )
        self._frames.append(frame)

    def frame(self) -> pd.DataFrame:
        if not self._frames:
            return pd.DataFrame(columns=ISSUE_COLUMNS)
        issues = pd.concat(self._frames, ignore_index=True)
        issues["row"] = pd.array(issues["row"], dtype="Int64")
        order = issues["level"].map({"error": 0, "warning": 1})
        return (
            issues.assign(_order=order)
            .sort_values(["_order", "row"], kind="stable", na_position="first")
            .drop(columns="_order")
            .reset_index(drop=True)
        )

    def has_errors(self) -> bool:
        return any((f["level"] == "error").any() for f in self._frames)


def issue_text(issue: dict) -> str:
    """`第 7 行「到馆人次」值 "-3"：不能为负数`."""
    parts = []
    if issue.get("row") is not None and not pd.isna(issue["row"]):
        parts.append(f"第 {int(issue['row'])} 行")
    if issue.get("column"):
        parts.append(f"「{issue['column']}」")
    value = issue.get("value")
    if value is not None and not (isinstance(value, float) and pd.isna(value)):
        parts.append(f'值 "{value}"' if value != "" else "为空")
    prefix = "".join(parts)
    return f"{prefix}：{issue['message']}" if prefix else issue["message"]


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    kind: str | None = None
    kind_label: str | None = None
    encoding: str | None = None
    rows: int = 0
    file_error: str | None = None
    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ISSUE_COLUMNS))
    dry_run: bool = False
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    batch_id: int | None = None
    same_file_batch: int | None = None  # an earlier committed batch with the same SHA-256
    by_month: list[dict] = field(default_factory=list)
    by_township: list[dict] = field(default_factory=list)
    preview: pd.DataFrame | None = None
    sheet: "RawTable | None" = field(default=None, repr=False)  # the whole parsed file, for the highlighted report

    @property
    def error_count(self) -> int:
        return int((self.issues["level"] == "error").sum()) + (1 if self.file_error else 0)

    @property
    def warning_count(self) -> int:
        return int((self.issues["level"] == "warning").sum())

    @property
    def accepted(self) -> bool:
        return self.error_count == 0

    @property
    def no_change(self) -> bool:
        return self.accepted and self.inserted == 0 and self.replaced == 0

    def issue_lines(self, level: str | None = None) -> list[str]:
        issues = self.issues if level is None else self.issues[self.issues["level"] == level]
        return [issue_text(issue) for issue in issues.to_dict("records")]

    def summary(self) -> str:
        """One Chinese sentence saying what happened."""
        name = f"「{self.file_name}」"
        if self.file_error:
            return f"{name}未导入：{self.file_error}"
        if not self.accepted:
            return f"{name}（{self.kind_label}）有 {self.error_count} 处错误，未写入任何数据。请修改后重新上传。"
        counts = f"新增 {self.inserted} 行，替换 {self.replaced} 行，未变 {self.unchanged} 行"
        warn = f"，{self.warning_count} 条警告" if self.warning_count else ""
        if self.dry_run:
            return f"{name}（{self.kind_label}，{self.rows} 行）检查通过{warn}。若导入将{counts}。（试运行，未写入）"
        if self.no_change:
            earlier = f"（与第 {self.same_file_batch} 批次的文件相同）" if self.same_file_batch else ""
            return f"{name}（{self.kind_label}）的内容与数据库完全一致{earlier}，未做任何修改。"
        return f"{name}（{self.kind_label}）已导入为第 {self.batch_id} 批次：{counts}{warn}。"

    def text(self) -> str:
        lines = [self.summary()]
        if self.encoding:
            lines.append(f"文件类型：{self.kind_label or '未识别'}；编码：{self.encoding}；数据行：{self.rows}")
        for level in ("error", "warning"):
            texts = self.issue_lines(level)
            if texts:
                lines.append(f"{LEVEL_LABEL[level]}（{len(texts)}）：")
                lines.extend(f"  {t}" for t in texts)
        return "\n".join(lines)
