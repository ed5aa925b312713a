"""Read congress dossiers: the candidate list, the documents checklist and CV sheets, each value with its place.

A dossier workbook (or several) holds three shapes, found by content, never by sheet name or position:

- the candidate list (danh sách trích ngang): a table, one row per candidate, its header matched against the
  headers and aliases of ``schemas/dossier.yaml`` exactly as the roster reader matches ``schemas/roster.yaml``;
- the documents checklist: a table, one row per candidate, one column per required document;
- CV sheets (sơ yếu lý lịch, mẫu 2C/TCTW-98): label cells such as "Sinh ngày:" with the value to the right,
  below, or after the colon in the same cell; one sheet per candidate.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from dangvien_data import options
from dangvien_data.domain.vntext import strip_accents
from dangvien_data.errors import InputError, SchemaFileError, display_name
from dangvien_data.issues import Issue, Severity
from dangvien_data.roster.model import Roster, SheetSource, column_letter
from dangvien_data.roster.normalise import clean_text, map_codes, normalise, parse_dates
from dangvien_data.roster.reader import (
    HEADER_SCAN_ROWS,
    Grid,
    HeaderIndex,
    expand_paths,
    header_index,
    header_key,
    locate_header,
    locate_sheet,
    member_frame,
    read_sheets,
)
from dangvien_data.roster.schemas import CodeList, FieldSpec, RosterSpec, default_schema_dir, load_roster_spec
from dangvien_data.roster.schemas import field_spec as _field_spec
from dangvien_data.roster.schemas import read_yaml as _load_yaml

__all__ = [
    "Condition",
    "CvField",
    "CvSheet",
    "CvValue",
    "DocumentSpec",
    "Dossier",
    "DossierSpec",
    "load_dossier_spec",
    "read_dossier",
]


_IDENTITY = frozenset({"seq", "full_name", "birth_date", "sex", "card_number", "unit", "note"})
MIN_TABLE_FIELDS = 2  # candidate-list fields beyond identity, or document columns, that make a sheet that table
_LABEL_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[a-zđ])\s*[).:/-]\s*", re.IGNORECASE)
_VI_DATE = re.compile(r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentSpec:
    """One document of the dossier: its key, the checklist header and aliases."""

    key: str
    header: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CvField:
    """One CV field: the labels that introduce it, whether it is required, whether it is compared to the list."""

    name: str
    labels: tuple[str, ...]
    required: bool = False
    compare: bool = False


@dataclass(frozen=True)
class Condition:
    """One condition of a candidate's verdict: its label, legal source and the issue codes that decide it."""

    key: str
    label_vi: str
    label_en: str
    source: str
    codes: frozenset[str]

    def label(self, lang: str) -> str:
        """The label in ``lang`` ("vi" or "en")."""
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class DossierSpec:
    """The compiled content of ``schemas/dossier.yaml`` (with the roster's code lists and rules)."""

    candidates: RosterSpec
    checklist: RosterSpec
    documents: Mapping[str, DocumentSpec]
    required_documents: Mapping[str, tuple[str, ...]]
    absent_marks: frozenset[str]
    due_working_days: int
    cv_fields: Mapping[str, CvField]
    cv_required: bool
    cv_min_labels: int
    rules: Mapping[str, Any]
    roster: RosterSpec
    conditions: Mapping[str, Condition] = field(default_factory=dict)

    def documents_for(self, term: str) -> tuple[DocumentSpec, ...]:
        """The documents required in ``term``.

        Raises:
            InputError: the term has no list in schemas/dossier.yaml.
        """
        if term not in self.required_documents:
            known = ", ".join(self.required_documents)
            raise InputError(
                f"Nhiệm kỳ {term} không có danh mục hồ sơ trong schemas/dossier.yaml (có: {known}). "
                "Chọn --term đúng hoặc thêm nhiệm kỳ vào tệp.",
                f"Term {term} has no documents list in schemas/dossier.yaml (known: {known}). "
                "Choose a listed --term or add the term to the file.",
            )
        return tuple(self.documents[key] for key in self.required_documents[term])

    def term_rules(self, term: str) -> Mapping[str, Any]:
        """The eligibility parameters of ``term`` (thresholds, retirement roadmap, directive).

        Raises:
            InputError: the term is not in schemas/dossier.yaml.
        """
        terms = self.rules.get("terms", {})
        if term not in terms:
            known = ", ".join(terms)
            raise InputError(
                f"Nhiệm kỳ {term} không có trong schemas/dossier.yaml (có: {known}).",
                f"Term {term} is not in schemas/dossier.yaml (known: {known}).",
            )
        return dict(terms[term])

    def is_absent(self, text: object) -> bool:
        """Whether a checklist cell means "not there": empty, or one of ``absent_marks``."""
        return not isinstance(text, str) or not text.strip() or _mark_key(text) in self.absent_marks


def _mark_key(text: str) -> str:
    return re.sub(r"\s+", " ", strip_accents(text).casefold()).strip()


def _code_list(name: str, raw: Mapping[str, Any]) -> CodeList:
    values, aliases, attributes = [], {}, {}
    for entry in raw.get("values", []):
        value = str(entry["value"])
        values.append(value)
        aliases.update({str(a): value for a in entry.get("aliases", []) or []})
        attributes[value] = {k: v for k, v in entry.items() if k not in {"value", "aliases"}}
    return CodeList(name, str(raw.get("title", name)), tuple(values), aliases, attributes)


def _schema_error(path: Path, exc: Exception) -> SchemaFileError:
    return SchemaFileError(
        f"Tệp {path} thiếu mục bắt buộc hoặc sai dạng ({exc}). So với tệp mẫu schemas/dossier.yaml.",
        f"{path} lacks a required entry or is malformed ({exc}). Compare it with the shipped schemas/dossier.yaml.",
        path=str(path),
    )


@functools.cache
def load_dossier_spec(directory: Path | None = None) -> DossierSpec:
    """Load ``schemas/dossier.yaml`` together with the roster schema it builds on.

    Args:
        directory: the schemas folder; default :func:`~dangvien_data.roster.schemas.default_schema_dir`.

    Raises:
        SchemaFileError: the file is missing, not YAML, or lacks a required entry.
    """
    directory = Path(directory) if directory else default_schema_dir()
    path = directory / "dossier.yaml"
    data = _load_yaml(path)
    roster = load_roster_spec(directory)
    try:
        codes = {**roster.codes, **{n: _code_list(n, raw) for n, raw in (data.get("codes") or {}).items()}}
        fields = {n: _field_spec(n, raw) for n, raw in data["candidate_list"]["fields"].items()}
        docs = data["documents"]
        catalogue = {
            key: DocumentSpec(key, str(raw["header"]), tuple(str(a) for a in raw.get("aliases", []) or []))
            for key, raw in docs["catalogue"].items()
        }
        required = {str(term): tuple(keys) for term, keys in docs["required"].items()}
        unknown = {k for keys in required.values() for k in keys} - set(catalogue)
        if unknown:
            raise KeyError(f"documents.required names {sorted(unknown)} missing from documents.catalogue")
        cv = data.get("cv") or {}
        cv_fields = {
            name: CvField(name, tuple(raw["labels"]), bool(raw.get("required")), bool(raw.get("compare")))
            for name, raw in cv["fields"].items()
        }
        conditions = {
            key: Condition(
                key, str(raw["label"][0]), str(raw["label"][1]), str(raw.get("source", "")), frozenset(raw["codes"])
            )
            for key, raw in (data.get("conditions") or {}).items()
        }
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise _schema_error(path, exc) from exc
    for spec_field in fields.values():
        if spec_field.codes and spec_field.codes not in codes:
            raise _schema_error(path, KeyError(f"code list {spec_field.codes}"))
    identity = {n: fields[n] for n in docs.get("identity_fields", []) if n in fields}
    identity = {n: _plain(f) for n, f in identity.items()}
    doc_fields = {
        key: FieldSpec(name=key, header=d.header, aliases=d.aliases, type="text", required=False)
        for key, d in catalogue.items()
    }
    return DossierSpec(
        candidates=RosterSpec(fields, codes, roster.rules, directory),
        checklist=RosterSpec({**identity, **doc_fields}, codes, roster.rules, directory),
        documents=catalogue,
        required_documents=required,
        absent_marks=frozenset(_mark_key(str(m)) for m in docs.get("absent_marks", [])),
        due_working_days=int(docs.get("due_working_days", 0) or 0),
        cv_fields=cv_fields,
        cv_required=bool(cv.get("required_sheet", False)),
        cv_min_labels=int(cv.get("min_labels", 3)),
        rules=data.get("rules", {}) or {},
        roster=roster,
        conditions=conditions,
    )


def _plain(spec_field: FieldSpec) -> FieldSpec:
    """The field as a checklist identity column: never required there."""
    return FieldSpec(
        spec_field.name,
        spec_field.header,
        spec_field.aliases,
        spec_field.type,
        False,
        spec_field.codes,
        spec_field.digits,
        spec_field.legacy_digits,
        spec_field.split_by_sex,
    )


# --- CV sheets -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CvValue:
    """One CV field as found: the label as written and where, the value as written (None if empty) and where."""

    field: str
    label: str
    label_ref: str
    text: str | None
    ref: str
    value: Any = None  # normalised: a Timestamp for dates, the canonical code, cleaned text
    precision: str | None = None  # for dates: "day", "month" or "year"


@dataclass
class CvSheet:
    """One CV sheet (sơ yếu lý lịch) and the fields found on it."""

    file: str
    sheet: str
    values: dict[str, CvValue]

    def get(self, name: str) -> Any:
        """The normalised value of field ``name`` (None when absent or empty)."""
        found = self.values.get(name)
        return found.value if found else None


def _label_keys(spec: DossierSpec) -> dict[str, str]:
    return {header_key(label): cv.name for cv in spec.cv_fields.values() for label in cv.labels}


def _cells(grid: pd.DataFrame) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for col in grid.columns:
        values = grid[col]
        for row, value in zip(values.index, values, strict=True):
            if isinstance(value, str) and value.strip():
                out[(int(row), int(col))] = value.strip()
    return out


def _as_label(text: str, keys: Mapping[str, str]) -> tuple[str, str, str] | None:
    """``(field, label, inline value)`` when ``text`` is a known label ("Sinh ngày:", "5) Dân tộc: Kinh")."""
    label, colon, inline = text.partition(":")
    name = keys.get(header_key(_LABEL_NUMBERING.sub("", label)))
    if name is None:
        return None
    return name, _LABEL_NUMBERING.sub("", label).strip(), inline.strip() if colon else ""


def _value_of(
    cells: Mapping[tuple[int, int], str], labels: Mapping[tuple[int, int], Any], row: int, col: int
) -> tuple[str | None, int, int]:
    """The value of the label at (row, col): the next cell to the right unless it is a label, else the one below.

    Returns ``(text, row, col)`` of the value, or ``(None, row, -1)`` when the label has no value.
    """
    right = sorted(c for (r, c) in cells if r == row and c > col)
    if right and (row, right[0]) not in labels:
        return cells[(row, right[0])], row, right[0]
    below = (row + 1, col)
    if below in cells and below not in labels:
        return cells[below], row + 1, col
    return None, row, -1


def _cv_labels(grid: pd.DataFrame, keys: Mapping[str, str]) -> tuple[dict[tuple[int, int], str], dict[Any, Any]]:
    cells = _cells(grid)
    labels = {pos: found for pos, text in cells.items() if (found := _as_label(text, keys)) is not None}
    return cells, labels


def _cv_score(labels: Mapping[tuple[int, int], tuple[str, str, str]], cells: Mapping[tuple[int, int], str]) -> int:
    """How many distinct CV fields the sheet labels with a colon (a table header has none)."""
    return len({found[0] for pos, found in labels.items() if ":" in cells[pos]})


def _read_cv(path: Path, sheet: str, cells: dict[tuple[int, int], str], labels: dict[Any, Any]) -> CvSheet:
    found: dict[str, tuple[str, int, int, str | None, int, int]] = {}
    for (row, col), (name, label, inline) in sorted(labels.items()):
        if name in found and found[name][3] is not None:
            continue  # the first filled label wins ("Họ và tên khai sinh" before "Họ và tên đang dùng")
        text, at_row, at_col = (inline, row, col) if inline else _value_of(cells, labels, row, col)
        found[name] = (label, row, col, text, at_row, at_col)
    # An empty value is placed where this sheet puts its values: most often so many columns to the right, or
    # in the row below.
    shifts = [(vr - r, vc - c) for (_, r, c, t, vr, vc) in found.values() if t is not None and (vr, vc) != (r, c)]
    down, gap = max(set(shifts), key=shifts.count) if shifts else (0, 1)
    values = {}
    for name, (label, row, col, text, at_row, at_col) in found.items():
        ref = f"{column_letter(at_col)}{at_row + 1}" if at_col >= 0 else f"{column_letter(col + gap)}{row + down + 1}"
        values[name] = CvValue(name, label, f"{column_letter(col)}{row + 1}", text, ref)
    return CvSheet(str(path), sheet, values)


def normalise_cv(cv: CvSheet, spec: DossierSpec) -> CvSheet:
    """Normalise every CV value with the type of the candidate-list field of the same name."""
    pivot = int(spec.roster.rules.get("two_digit_year_pivot", 30))
    out: dict[str, CvValue] = {}
    for name, found in cv.values.items():
        value: Any = None
        precision = None
        if found.text is not None:
            text, _ = clean_text(pd.Series([found.text], dtype="string"))
            fs = spec.candidates.fields.get(name)
            kind = fs.type if fs else "text"
            if kind == "date":
                parsed = parse_dates(pd.Series([_VI_DATE.sub(r"\1/\2/\3", str(text.iloc[0]))]), pivot=pivot)
                value, precision = parsed["date"].iloc[0], parsed["precision"].iloc[0]
                value = None if pd.isna(value) else value
                precision = None if pd.isna(precision) else str(precision)
            elif kind == "code" and fs is not None and fs.codes:
                value = map_codes(text, spec.candidates.codes[fs.codes]).iloc[0]
            else:
                value = text.iloc[0]
            value = None if value is pd.NA else value
        out[name] = CvValue(found.field, found.label, found.label_ref, found.text, found.ref, value, precision)
    return CvSheet(cv.file, cv.sheet, out)


# --- tables ---------------------------------------------------------------------------------------------


def _table_fields(grid: pd.DataFrame, index: HeaderIndex) -> set[str]:
    """Fields of the header the roster reader's own matcher finds (header and sub-header rows), CV labels
    ("Dân tộc:") aside: a label with a colon is never a column header."""
    head = grid.iloc[:HEADER_SCAN_ROWS]
    unlabelled = head.where(~head.map(lambda t: isinstance(t, str) and ":" in t), None)
    located = locate_header(Grid.of(unlabelled), index)
    return set() if located is None else {name.split("__")[0] for name in located.field_columns}


@dataclass
class _Parts:
    sources: list[SheetSource] = field(default_factory=list)
    tables: list[pa.Table] = field(default_factory=list)

    def add(self, path: Path, sheet: str, grid: pd.DataFrame, index: HeaderIndex, issues: list[Issue]) -> None:
        noted: list[Issue] = []
        found = locate_sheet(path, sheet, grid, index, len(self.sources), False, False, noted)
        # A dossier table names no chi bộ in section rows: the roster reader's "cell-unknown" does not apply.
        issues.extend(i for i in noted if i.code != "cell-unknown")
        if found is not None:
            self.sources.append(found[0])
            self.tables.append(found[1])

    def roster(self, spec: RosterSpec) -> Roster | None:
        if not self.tables:
            return None
        raw = member_frame(self.tables)
        files = {i: display_name(s.file) for i, s in enumerate(self.sources)}  # a file name need not be UTF-8
        raw.insert(1, "file", raw["source"].map(files).astype("category"))
        raw.insert(2, "sheet", raw["source"].map({i: s.sheet for i, s in enumerate(self.sources)}).astype("category"))
        frame, issues = normalise(raw, spec, self.sources)
        return Roster(frame=frame, raw=raw, sources=self.sources, issues=issues)


@dataclass
class Dossier:
    """What :func:`read_dossier` found.

    ``candidates`` has one row per candidate, with the canonical fields of ``schemas/dossier.yaml`` and the
    provenance columns of a :class:`~dangvien_data.roster.model.Roster` (``file``, ``sheet``, ``row``, ``source``), so
    every value maps to ``sheet!ref``. ``checklist`` has one row per checklist line and one text column per
    document (as written). ``cvs`` holds the CV sheets, values normalised.
    """

    candidates: Roster
    checklist: Roster | None
    cvs: list[CvSheet]
    issues: list[Issue]
    files: list[str]


def _unknown_to_both(listed: list[Issue], checked: list[Issue]) -> list[Issue]:
    """A sheet read as both tables: a column is unknown only if neither reading recognised it."""
    unknown = {i.ref for i in checked if i.code == "unknown-column"}
    return [i for i in listed if i.code != "unknown-column" or i.ref in unknown] + [
        i for i in checked if i.code != "unknown-column"
    ]


def _classify(grid: pd.DataFrame, spec: DossierSpec, indexes: tuple[HeaderIndex, HeaderIndex]) -> tuple[bool, bool]:
    listed = _table_fields(grid, indexes[0]) - _IDENTITY
    docs = _table_fields(grid, indexes[1]) & set(spec.documents)
    return len(listed) >= MIN_TABLE_FIELDS, len(docs) >= MIN_TABLE_FIELDS


def read_dossier(paths: str | Path | Sequence[str | Path], *, spec: DossierSpec | None = None) -> Dossier:
    """Read the candidate list, documents checklist and CV sheets from one or many workbooks (or folders).

    Every sheet is classified by content: a table whose header holds at least two candidate-list fields beyond
    name and birth date is the candidate list; one with at least two document columns is the checklist (one
    sheet may be both); a sheet with at least ``cv.min_labels`` labels ending in ":" is a CV. Other sheets are
    skipped with an ``info`` issue.

    Args:
        paths: workbooks or folders.
        spec: the dossier schema; default ``schemas/dossier.yaml``.

    Returns:
        The :class:`Dossier`.

    Raises:
        FileNotFoundInputError: a path does not exist.
        WorkbookError: a file cannot be read.
        InputError: no sheet of any file is a candidate list.

    Example:
        >>> dossier = read_dossier("sample_data/ho_so_nhan_su.xlsx")  # doctest: +SKIP
        >>> len(dossier.candidates), len(dossier.cvs)                  # doctest: +SKIP
        (15, 4)
    """
    paths = options.paths(paths, "paths")
    spec = spec or load_dossier_spec()
    files = expand_paths([paths] if isinstance(paths, str | Path) else paths)
    indexes = (header_index(spec.candidates), header_index(spec.checklist))
    label_keys = _label_keys(spec)
    candidates, checklist = _Parts(), _Parts()
    cvs: list[CvSheet] = []
    issues: list[Issue] = []
    for path in files:
        for sheet, visible, grid in read_sheets(path):
            if not len(grid):
                continue
            cells, labels = _cv_labels(grid, label_keys)
            is_list, is_checklist = _classify(grid, spec, indexes)
            if _cv_score(labels, cells) >= spec.cv_min_labels and not is_list and not is_checklist:
                cv = _read_cv(path, sheet, cells, labels)
                # A CV page with no value at all is the blank form (the template's page): nothing to check.
                if any(v.text is not None for v in cv.values.values()):
                    cvs.append(normalise_cv(cv, spec))
                continue
            noted: tuple[list[Issue], list[Issue]] = ([], [])
            if is_list:
                candidates.add(path, sheet, grid, indexes[0], noted[0])
            if is_checklist:
                checklist.add(path, sheet, grid, indexes[1], noted[1])
            issues += _unknown_to_both(*noted) if is_list and is_checklist else [*noted[0], *noted[1]]
            if not (is_list or is_checklist) and visible:  # a hidden sheet (code lists …) is skipped silently
                issues.append(
                    Issue(
                        "dossier-sheet-skipped",
                        Severity.INFO,
                        file=str(path),
                        sheet=sheet,
                        params={"sheet_name": sheet},
                    )
                )
    table = candidates.roster(spec.candidates)
    if table is None:
        raise InputError(
            "Không tìm thấy danh sách trích ngang nhân sự trong "
            f'{", ".join(str(f) for f in files)}: cần một trang có cột "Họ và tên" và ít nhất hai cột như '
            '"Dân tộc", "Ngày vào Đảng", "Cấp bậc", "Dự kiến chức danh" (xem schemas/dossier.yaml).',
            f'No candidate list found in {", ".join(str(f) for f in files)}: a sheet needs a "Họ và tên" column '
            'and at least two more such as "Dân tộc", "Ngày vào Đảng", "Cấp bậc", "Dự kiến chức danh" '
            "(see schemas/dossier.yaml).",
        )
    checks = checklist.roster(spec.checklist)
    found = [*issues, *table.issues, *(checks.issues if checks else [])]
    return Dossier(table, checks, cvs, found, [str(f) for f in files])
