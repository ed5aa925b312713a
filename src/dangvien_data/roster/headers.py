"""The vocabulary of the reader: column headers (normalised tokens, abbreviations, user aliases, split names)
and cell names (capitals recased, acronyms kept), from ``schemas/roster.yaml`` and ``schemas/aliases.yaml``."""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dangvien_data.domain.cells import strip_numbering
from dangvien_data.domain.vntext import nfc, strip_accents
from dangvien_data.errors import DangvienError
from dangvien_data.roster import rows as rows_
from dangvien_data.roster.schemas import RosterSpec, load_roster_spec

__all__ = ["header_key", "header_tokens", "match_header"]

_COUNT_SUFFIX_RE = re.compile(r"\s*[(\-–:]\s*\d+\s*(?:đồng chí|đ/c|người|đảng viên)\)?\s*$", re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")
_FIGURES_RE = re.compile(r"^[\d\s.,/\-:]*$")


def header_key(text: str) -> str:
    """A key for matching headers: no accents, no case, no punctuation or numbering in brackets."""
    text = re.sub(r"\(.*?\)", " ", nfc(str(text)))
    return re.sub(r"[^0-9a-z]", "", strip_accents(text).casefold())


@dataclass(frozen=True)
class HeaderIndex:
    """The headers of a spec, ready for matching: exact keys, keys with abbreviations expanded, split columns."""

    fields: dict[str, str]  # header key -> field name
    male: frozenset[str]  # sub-header keys meaning "born, male" under a split birth-date header
    female: frozenset[str]
    split_field: str | None
    expanded: Mapping[str, str] = field(default_factory=dict)  # key with abbreviations expanded -> field name
    abbreviations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # token -> tokens
    name_field: str | None = None  # the field whose column may be split in two ("Họ" + "Tên")
    standard: Mapping[str, str] = field(default_factory=dict)  # field -> its standard header
    cell_words: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())  # acronyms, lower-case phrases
    status: rows_.StatusVocabulary | None = None  # the words marking departed and exempted members
    _cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    _near: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)  # closest(), by text

    def match(self, text: str) -> str | None:
        """The field a header names, or None.

        Matched on normalised tokens (no accents, case, punctuation or spacing): first as written, then with the
        abbreviations of ``schemas/roster.yaml`` expanded ("Ngày CT" = "Ngày chính thức"), then with the parts
        of an "A / B" header in any order. A split name column gives ``<field>__family`` / ``<field>__given``.
        """
        if text in self._cache:
            return self._cache[text]
        if _FIGURES_RE.match(text):  # a number, date or card number under the header: never a header itself
            return None
        key = header_key(text)
        found = self.fields.get(key) if key else None
        if found is None and key:
            found = self.expanded.get(self._expanded_key(text))
            if found is None and "/" in text:
                found = self.expanded.get(self._parts_key(text))
        if len(self._cache) < 10_000:
            self._cache[text] = found
        return found

    def closest(self, text: str) -> str | None:
        """The field whose header ``text`` most resembles (difflib on normalised tokens), for unknown columns."""
        if text in self._near:  # the same unknown header recurs in every file of a folder
            return self._near[text]
        found = self._closest(text)
        if len(self._near) < 10_000:
            self._near[text] = found
        return found

    def _closest(self, text: str) -> str | None:
        key = self._expanded_key(text)
        if not key:
            return None
        keys = [k for k in self.expanded if "|" not in k]
        hit = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
        return self.expanded[hit[0]].split("__")[0] if hit else None

    def _expanded_key(self, text: str) -> str:
        words = header_tokens(text)
        return "".join(part for word in words for part in self.abbreviations.get(word, (word,)))

    def _parts_key(self, text: str) -> str:
        return "|".join(sorted(self._expanded_key(part) for part in str(text).split("/")))


_TOKEN_RE = re.compile(r"[0-9a-z]+")


def header_tokens(text: str) -> list[str]:
    """The words of a header for matching: no accents, lower case, split at punctuation and spaces, without the
    text in brackets ("Ngày vào Đảng (1)" -> ``["ngay", "vao", "dang"]``)."""
    text = re.sub(r"\(.*?\)", " ", nfc(str(text)))
    return _TOKEN_RE.findall(strip_accents(text).casefold())


def _abbreviations(spec: RosterSpec) -> Mapping[str, Any]:
    """The header abbreviations of ``spec``; a spec built in code (the dossier's) takes those of roster.yaml."""
    if spec.reading:
        return spec.reading
    try:
        return load_roster_spec(spec.directory).reading
    except DangvienError:
        return {}


def header_index(spec: RosterSpec) -> HeaderIndex:
    reading = _abbreviations(spec)
    abbreviations = {
        "".join(header_tokens(k)): tuple(header_tokens(v))
        for k, v in (reading.get("header_abbreviations") or {}).items()
    }
    keys: dict[str, str] = {}
    male: set[str] = set()
    female: set[str] = set()
    split_field = name_field = None
    labelled: list[tuple[str, str]] = []
    for spec_field in spec.fields.values():
        labelled += [(text, spec_field.name) for text in spec_field.headers]
        if spec_field.split_by_sex:
            split_field = spec_field.name
            male.update(header_key(t) for t in spec_field.split_by_sex.get("male", ()))
            female.update(header_key(t) for t in spec_field.split_by_sex.get("female", ()))
        if spec_field.split_name:
            name_field = spec_field.name
            for part in ("family", "given"):
                labelled += [(text, f"{spec_field.name}__{part}") for text in spec_field.split_name.get(part, ())]
    for text, name in labelled:
        keys.setdefault(header_key(text), name)
    cells = reading.get("cell_names") or {}
    index = HeaderIndex(
        keys,
        frozenset(male),
        frozenset(female),
        split_field,
        abbreviations=abbreviations,
        name_field=name_field,
        standard={f.name: f.header for f in spec.fields.values()},
        cell_words=(
            frozenset(nfc(str(a)).upper() for a in cells.get("acronyms", ())),
            tuple(nfc(str(p)) for p in cells.get("lowercase", ())),
        ),
        status=rows_.StatusVocabulary(reading.get("member_status") or {}),
    )
    expanded: dict[str, str] = {}
    for text, name in labelled:
        expanded.setdefault(index._expanded_key(text), name)
        if "/" in text:
            expanded.setdefault(index._parts_key(text), name)
    return dataclasses.replace(index, expanded=expanded)


def match_header(text: str, spec: RosterSpec | None = None) -> str | None:
    """The field of ``spec`` (default: ``schemas/roster.yaml``) that the header ``text`` names, or None.

    Headers are compared on normalised tokens, abbreviations expanded ("Ngày VĐ" -> ``"admitted_on"``); the
    two halves of a split name give ``"full_name__family"`` and ``"full_name__given"``.

    Example:
        >>> match_header("Số thẻ ĐV")  # doctest: +SKIP
        'card_number'
    """
    return _index_for(spec or load_roster_spec()).match(text)


_INDEXES: dict[int, tuple[RosterSpec, HeaderIndex]] = {}


def _index_for(spec: RosterSpec) -> HeaderIndex:
    if id(spec) not in _INDEXES or _INDEXES[id(spec)][0] is not spec:
        if len(_INDEXES) > 32:
            _INDEXES.clear()
        _INDEXES[id(spec)] = (spec, header_index(spec))
    return _INDEXES[id(spec)][1]


_VOWELS = frozenset("aeiouy")


def clean_cell_name(text: str, index: HeaderIndex | None = None) -> str:
    text = _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    text = strip_numbering(text)
    text = _COUNT_SUFFIX_RE.sub("", text).strip(" .:-–")
    # In capitals, give or take a letter a legacy font left in lower case ("CHI Bộ ĐỘI …" from TCVN3)
    if text.isupper() or (text[:3].isupper() and _mostly_upper(text)):
        acronyms, lowercase = index.cell_words if index else (frozenset(), ())
        words = text.split(" ")
        text = " ".join(
            [
                _cased_word(words[0], 0, acronyms),
                *(_cased_word(w, i + 1, acronyms) for i, w in enumerate(words[1:])),
            ]
        )
        for phrase in lowercase:  # "Công An" -> "Công an"
            cased = phrase[:1].upper() + phrase[1:]
            text = re.sub(rf"(?<!\w){re.escape(cased.title())}(?!\w)", cased, text)
    return text


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 4 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _cased_word(word: str, position: int, acronyms: frozenset[str]) -> str:
    """A word of a name written in capitals: acronyms kept (a word with no vowel, or on the list), "bộ" lower."""
    bare = strip_accents(word).casefold()
    if word in acronyms or (len(bare) > 1 and bare.isalpha() and not set(bare) & _VOWELS):
        return word
    return word.lower() if position == 1 else word.capitalize()
