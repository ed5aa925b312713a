"""Load schemas/*.yaml (fields, headers, code lists, rule parameters); compile them to pandera."""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dangvien_data import options
from dangvien_data.errors import SchemaFileError

# libyaml's loader when PyYAML was built with it: ten times faster on the code lists, same results.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = [
    "CodeList",
    "FieldSpec",
    "RosterSpec",
    "compile_schema",
    "default_schema_dir",
    "export_yaml",
    "field_spec",
    "load_roster_spec",
    "read_yaml",
    "register_checks",
    "slug",
]


def default_schema_dir() -> Path:
    """The schemas folder every loader reads when it is given none.

    In order: ``$DANGVIEN_SCHEMAS`` (the command line's ``--schemas DIR`` sets it); the copy of ``schemas/``
    shipped inside the installed package (``dangvien_data/_schemas``, found with :mod:`importlib.resources`);
    the ``schemas/`` folder of a source checkout (an editable install, or running from ``src/``).
    """
    env = os.environ.get("DANGVIEN_SCHEMAS")
    if env:
        return Path(env)
    shipped = importlib.resources.files("dangvien_data") / "_schemas"
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[3] / "schemas"  # src/dangvien_data/roster/ -> the checkout
    return checkout


@dataclass(frozen=True)
class CodeList:
    """A code list (danh mục): canonical values, their aliases and per-value attributes."""

    name: str
    title: str
    values: tuple[str, ...]
    aliases: Mapping[str, str]  # alias as written -> canonical value
    attributes: Mapping[str, Mapping[str, Any]]  # canonical value -> {attribute: value}
    pattern: str | None = None
    ordered: bool = False

    def attribute(self, name: str, default: Any = None) -> dict[str, Any]:
        """``{value: attributes[value][name]}`` for every value (``default`` where it is absent)."""
        return {v: self.attributes[v].get(name, default) for v in self.values}


@dataclass(frozen=True)
class FieldSpec:
    """One roster field: canonical name, Vietnamese header and aliases, type and requirement."""

    name: str
    header: str
    aliases: tuple[str, ...]
    type: str
    required: bool | str
    codes: str | None = None
    digits: tuple[int, ...] = ()
    legacy_digits: tuple[int, ...] = ()
    split_by_sex: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    use: str = "record"  # count | rule | record: what a missing column of this field costs (see roster.yaml)
    split_name: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # {"family": …, "given": …}

    @property
    def headers(self) -> tuple[str, ...]:
        """The header and every alias."""
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class RosterSpec:
    """The compiled content of schemas/roster.yaml and schemas/codes/*.yaml."""

    fields: Mapping[str, FieldSpec]
    codes: Mapping[str, CodeList]
    rules: Mapping[str, Any]
    directory: Path
    # header_abbreviations, member_status, cell_names of roster.yaml: the reader's vocabulary
    reading: Mapping[str, Any] = field(default_factory=dict)

    def term_dates(self, term: str) -> tuple[Any, Any]:
        """(start, end) of a congress term such as "2020-2025" as pandas Timestamps (rules.terms, else whole years)."""
        import pandas as pd

        terms = self.rules.get("terms", {})
        if term in terms:
            return pd.Timestamp(terms[term]["start"]), pd.Timestamp(terms[term]["end"])
        first, _, last = term.partition("-")
        return pd.Timestamp(f"{int(first)}-01-01"), pd.Timestamp(f"{int(last)}-12-31")

    def header_of(self, field_name: str) -> str:
        """The standard Vietnamese header of a field."""
        return self.fields[field_name].header


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_YAML_LOADER)
    except FileNotFoundError as exc:
        msg_vi = f"Không tìm thấy tệp lược đồ {path}. Chỉ thư mục lược đồ bằng --schemas THƯ_MỤC hoặc DANGVIEN_SCHEMAS."
        msg_en = f"Schema file {path} not found. Check the schemas folder (--schemas DIR or DANGVIEN_SCHEMAS)."
        raise SchemaFileError(msg_vi, msg_en, path=str(path)) from exc
    except yaml.YAMLError as exc:
        msg_vi = f"Tệp lược đồ {path} không đúng cú pháp YAML: {exc}. Sửa tệp rồi chạy lại."
        msg_en = f"Schema file {path} is not valid YAML: {exc}. Fix the file and run again."
        raise SchemaFileError(msg_vi, msg_en, path=str(path)) from exc


def _load_codes(path: Path) -> CodeList:
    data = read_yaml(path)
    values: list[str] = []
    aliases: dict[str, str] = {}
    attributes: dict[str, dict[str, Any]] = {}
    for entry in data.get("values", []):
        value = str(entry["value"])
        values.append(value)
        for alias in entry.get("aliases", []) or []:
            aliases[str(alias)] = value
        attributes[value] = {k: v for k, v in entry.items() if k not in {"value", "aliases"}}
    return CodeList(
        name=str(data.get("name", path.stem)),
        title=str(data.get("title", path.stem)),
        values=tuple(values),
        aliases=aliases,
        attributes=attributes,
        pattern=data.get("pattern"),
        ordered=bool(data.get("ordered", False)),
    )


def field_spec(name: str, raw: Mapping[str, Any]) -> FieldSpec:
    required = raw.get("required", False)
    if isinstance(required, Mapping):
        required = str(required.get("when", ""))
    split = raw.get("split_by_sex") or {}
    names = raw.get("split_name") or {}
    use = str(raw.get("use") or ("rule" if raw.get("required", False) else "record"))
    return FieldSpec(
        name=name,
        header=str(raw["header"]),
        aliases=tuple(str(a) for a in raw.get("aliases", []) or []),
        type=str(raw.get("type", "text")),
        required=required,
        codes=raw.get("codes"),
        digits=tuple(raw.get("digits", []) or []),
        legacy_digits=tuple(raw.get("legacy_digits", []) or []),
        split_by_sex={k: tuple(v) for k, v in split.items()},
        use=use,
        split_name={k: tuple(str(t) for t in v) for k, v in names.items()},
    )


_SPEC_LOCK = threading.Lock()


def load_roster_spec(directory: Path | None = None) -> RosterSpec:
    """Load schemas/roster.yaml and the code lists it names (once per folder; thread-safe).

    Args:
        directory: the schemas folder; default :func:`default_schema_dir`.

    Returns:
        The :class:`RosterSpec`: fields with their headers and aliases, code lists and rule parameters.

    Raises:
        SchemaFileError: a file is missing or is not valid YAML.
    """
    folder = Path(options.path(directory, "directory")) if directory is not None else default_schema_dir()
    with _SPEC_LOCK:  # two threads asking at once get the same object (compile_schema memoises on it)
        return _load_roster_spec(folder)  # by folder: a changed DANGVIEN_SCHEMAS is read, not the first one's


@functools.cache
def _load_roster_spec(directory: Path) -> RosterSpec:
    data = read_yaml(directory / "roster.yaml")
    try:
        fields = {name: field_spec(name, raw) for name, raw in data["fields"].items()}
    except (KeyError, TypeError, AttributeError) as exc:
        msg_vi = f"Tệp {directory / 'roster.yaml'} thiếu mục bắt buộc ({exc}). Mỗi trường cần có 'header'."
        msg_en = f"{directory / 'roster.yaml'} lacks a required entry ({exc}). Every field needs a 'header'."
        raise SchemaFileError(msg_vi, msg_en, path=str(directory)) from exc
    fields = _with_user_aliases(fields, directory / ALIASES_FILE)
    codes = {path.stem: _load_codes(path) for path in sorted((directory / "codes").glob("*.yaml"))}
    for spec in fields.values():
        if spec.codes and spec.codes not in codes:
            msg_vi = f"Trường {spec.name} dùng danh mục '{spec.codes}' nhưng không có schemas/codes/{spec.codes}.yaml."
            msg_en = f"Field {spec.name} uses code list '{spec.codes}' but schemas/codes/{spec.codes}.yaml is missing."
            raise SchemaFileError(msg_vi, msg_en, path=str(directory))
    reading = {key: data.get(key) or {} for key in ("header_abbreviations", "member_status", "cell_names")}
    return RosterSpec(
        fields=fields, codes=codes, rules=data.get("rules", {}) or {}, directory=directory, reading=reading
    )


ALIASES_FILE = "aliases.yaml"


def _with_user_aliases(fields: dict[str, FieldSpec], path: Path) -> dict[str, FieldSpec]:
    """The fields with the user's header aliases of ``schemas/aliases.yaml`` (section ``roster``) added."""
    if not path.is_file():
        return fields
    extra = (read_yaml(path) or {}).get("roster") or {}
    if not isinstance(extra, Mapping):
        msg_vi = f"Tệp {path}: mục 'roster' phải là danh sách tên gọi khác theo từng trường (full_name: [...])."
        msg_en = f"{path}: 'roster' must map each field to a list of aliases (full_name: [...])."
        raise SchemaFileError(msg_vi, msg_en, path=str(path))
    unknown = sorted(set(extra) - set(fields))
    if unknown:
        msg_vi = f"Tệp {path} nêu trường không có trong roster.yaml: {', '.join(unknown)}. Sửa tên trường."
        msg_en = f"{path} names fields that roster.yaml does not have: {', '.join(unknown)}. Fix the field names."
        raise SchemaFileError(msg_vi, msg_en, path=str(path))
    out = dict(fields)
    for name, aliases in extra.items():
        added = tuple(str(a) for a in (aliases or []) if str(a) not in out[name].headers)
        out[name] = dataclasses.replace(out[name], aliases=(*out[name].aliases, *added))
    return out


# --- compiling to pandera -------------------------------------------------------------------------
# Custom checks are registered with pandera's extension API so the compiled schema exports with
# pandera's own to_yaml and loads back with from_yaml. Each is vectorised over the whole column.

_REGISTERED = False
# One lock for registering the checks and compiling: a warm-up call on another thread (see
# validate.prepare) finishes before a later call reads its result, so that call is free.
_LOCK = threading.RLock()
_COMPILED: dict[tuple[int, str], tuple[RosterSpec, Any]] = {}  # (id(spec), as_of) -> (spec kept alive, schema)
_MEMO_SIZE = 32


def register_checks(*, wait: bool = True) -> None:
    """Register the dangvien_data checks with pandera (idempotent, thread-safe).

    Args:
        wait: if false and another thread holds the lock, return at once: that thread is registering or
            compiling (which registers first). The import hook of ``import dangvien_data`` uses this, as it runs
            while pandera's import lock is held, and a compile holding this lock may be waiting for that import.
    """
    global _REGISTERED
    if not _LOCK.acquire(blocking=wait):
        return
    try:
        if not _REGISTERED:
            _register_checks()
            _REGISTERED = True
    finally:
        _LOCK.release()


def _register_checks() -> None:
    import pandas as pd
    from pandera import extensions

    @extensions.register_check_method(statistics=["codes", "pattern"])  # type: ignore[untyped-decorator]
    def dv_in_codes(series: pd.Series, *, codes: list[str], pattern: str | None = None) -> pd.Series:
        ok = series.isin(codes)
        if pattern:
            ok |= series.astype("string").str.fullmatch(pattern).fillna(False).astype(bool)
        return ok

    @extensions.register_check_method(statistics=["lengths"])  # type: ignore[untyped-decorator]
    def dv_digits(series: pd.Series, *, lengths: list[int]) -> pd.Series:
        digits = "|".join(rf"\d{{{int(n)}}}" for n in lengths)  # one pass: r"(?:\d{12}|\d{9})"
        return series.astype("string").str.fullmatch(f"(?:{digits})").fillna(False).astype(bool)

    @extensions.register_check_method(statistics=["date"])  # type: ignore[untyped-decorator]
    def dv_not_after(series: pd.Series, *, date: str) -> pd.Series:
        return ~(series > pd.Timestamp(date))

    @extensions.register_check_method(statistics=["date"])  # type: ignore[untyped-decorator]
    def dv_not_before(series: pd.Series, *, date: str) -> pd.Series:
        return ~(series < pd.Timestamp(date))

    @extensions.register_check_method(statistics=[])  # type: ignore[untyped-decorator]
    def dv_is_false(series: pd.Series) -> pd.Series:
        return ~series.astype(bool)


# check name prefix -> issue code ("{field}" is filled with the field's code-list slug)
CHECK_CODES = {
    "not_nullable": "missing-value",
    "dv_in_codes": "unknown-{slug}",
    "dv_digits": "invalid-{slug}",
    "dv_not_after": "date-after-as-of",
    "dv_not_before": "date-implausible",
    "dv_is_false": "invalid-date",
}


def slug(name: str) -> str:
    """``party_post`` -> ``party-post`` (issue codes are kebab-case)."""
    return name.replace("_", "-")


def compile_schema(spec: RosterSpec, *, as_of: str) -> Any:
    """Compile the roster spec into a pandera ``DataFrameSchema`` for the member frame at ``as_of``.

    Columns the sheet does not have are not required here; a missing required column is reported once
    per sheet by the validator instead of once per row. The result is memoised per spec and date, and
    thread-safe: the schema is shared, so treat it as read-only.
    """
    key = (id(spec), str(as_of))
    with _LOCK:
        if key not in _COMPILED or _COMPILED[key][0] is not spec:
            if len(_COMPILED) >= _MEMO_SIZE:  # specs loaded from many folders (tests): keep memory bounded
                _COMPILED.clear()
            _COMPILED[key] = (spec, _compile(spec, str(as_of)))
        return _COMPILED[key][1]


def export_yaml(schema: Any) -> str:
    """The compiled schema as pandera YAML, Vietnamese written as letters (``allow_unicode``), not ``\\u`` escapes.

    ``pandera.DataFrameSchema.from_yaml`` reads it back after ``import dangvien_data`` (which registers the
    custom checks when pandera is imported).
    """
    from pandera.io.pandas_io import serialize_schema

    data = serialize_schema(schema)
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _compile(spec: RosterSpec, as_of: str) -> Any:
    import pandera.pandas as pa

    register_checks()
    plausible = spec.rules.get("plausible-dates", {})
    columns: dict[str, Any] = {}
    for fs in spec.fields.values():
        checks = []
        dtype: Any = "string"
        if fs.type == "code" and fs.codes:
            codes = spec.codes[fs.codes]
            checks.append(pa.Check.dv_in_codes(codes=list(codes.values), pattern=codes.pattern))
        elif fs.type == "id" and fs.digits:
            checks.append(pa.Check.dv_digits(lengths=[*fs.digits, *fs.legacy_digits]))
        elif fs.type == "date":
            dtype = "datetime64[us]"
            earliest = plausible.get(
                "earliest_admission" if fs.name == "admitted_on" else "earliest_birth", "1900-01-01"
            )
            checks += [pa.Check.dv_not_after(date=str(as_of)), pa.Check.dv_not_before(date=str(earliest))]
            columns[f"{fs.name}_invalid"] = pa.Column("bool", checks=[pa.Check.dv_is_false()], required=False)
        nullable = fs.required is not True
        columns[fs.name] = pa.Column(dtype, checks=checks, nullable=nullable, required=False, coerce=False)
    return pa.DataFrameSchema(columns, strict=False, name="dangvien_roster")
