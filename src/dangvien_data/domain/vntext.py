"""Vietnamese text: NFC, legacy TCVN3/VNI detection and conversion, name keys for matching."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "OTHER_SPACES",
    "SPACE_CLASS",
    "decode_tcvn3",
    "decode_vni",
    "decodings",
    "detect_legacy",
    "fix_by_column",
    "fix_by_context",
    "fix_legacy",
    "fix_legacy_series",
    "has_unicode_vietnamese",
    "legacy_candidates",
    "name_key",
    "name_key_series",
    "nfc",
    "strip_accents",
]

# Python's whitespace (what ``\s`` and ``str.split`` see) as real characters for a regex character class: RE2, the
# engine of pyarrow (and of pandas' string methods on Arrow data), has an ASCII-only ``\s`` without ``\v``.
OTHER_SPACES = "\t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # all but " "
SPACE_CLASS = f"[ {OTHER_SPACES}]"

# --- Tables -------------------------------------------------------------------------------------------

# TCVN 5712:1993 bytes 0xA0-0xFF, generated once with `iconv -f TCVN5712-1 -t UTF-8` (glibc) and checked
# letter by letter against iconv in tests/domain/test_vntext.py. The VN3 ("ABC", .VnTime) fonts use the lowercase
# toned letters 0xB5-0xFE and Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ at 0xA1-0xAE; the few capitals glibc puts in the
# gaps (0xAF Ằ, 0xBA Ẳ, 0xC0 Ắ …) and the combining tones 0xB0-0xB4 are kept as the standard has them.
# Bytes below 0xA0 are not taken from the standard on purpose: glibc's VN1 puts capital toned vowels at
# 0x01-0x17 and 0x80-0x9F, but the VN3 fonts keep the Windows glyphs there (Unikey's TCVN3 table keeps
# "W. Europe bytes 0x80-0x9F"), so a “quote” or an en dash in a .VnTime cell must stay what it is.
_TCVN3_HIGH = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0-0xAF; 0xA0 stays a no-break space, 0xAD (soft hyphen) is ư
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0-0xBF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0-0xCF
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0-0xDF
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0-0xEF
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0-0xFF
)

# Bytes 0x80-0x9F that arrived as latin-1 (C1 controls) are given their cp1252 meaning, so both readings
# of the same bytes decode alike. cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined: kept as they are.
_C1_AS_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in b"\x81\x8d\x8f\x90\x9d"}
_TONED_LOWER = frozenset(c for c in _TCVN3_HIGH if c.islower() and c not in "ăâêôơưđ")
_TCVN3_DECODE: dict[int, str] = {**_C1_AS_CP1252, **{0xA0 + i: ch for i, ch in enumerate(_TCVN3_HIGH)}}

# VNI-Windows: a base letter followed by a mark byte (both read as cp1252), except for a few letters that
# are one byte (Ơ = Ô, Ư = Ö, Đ = Ñ, and the toned i's and ỵ). Transcribed from Unikey's vnconv table
# (ukengine vni_win.cpp: each entry is mark byte << 8 | base byte) and checked in the tests against the
# independent table of the npm package vietnamese-conversion (src/charsets.ts). 134 letters, both cases.
_VNI_LETTERS: dict[str, str] = {
    "Á": "AÙ", "á": "aù", "À": "AØ", "à": "aø", "Ả": "AÛ", "ả": "aû", "Ã": "AÕ", "ã": "aõ",
    "Ạ": "AÏ", "ạ": "aï", "Ă": "AÊ", "ă": "aê", "Ắ": "AÉ", "ắ": "aé", "Ằ": "AÈ", "ằ": "aè",
    "Ẳ": "AÚ", "ẳ": "aú", "Ẵ": "AÜ", "ẵ": "aü", "Ặ": "AË", "ặ": "aë", "Â": "AÂ", "â": "aâ",
    "Ấ": "AÁ", "ấ": "aá", "Ầ": "AÀ", "ầ": "aà", "Ẩ": "AÅ", "ẩ": "aå", "Ẫ": "AÃ", "ẫ": "aã",
    "Ậ": "AÄ", "ậ": "aä", "É": "EÙ", "é": "eù", "È": "EØ", "è": "eø", "Ẻ": "EÛ", "ẻ": "eû",
    "Ẽ": "EÕ", "ẽ": "eõ", "Ẹ": "EÏ", "ẹ": "eï", "Ê": "EÂ", "ê": "eâ", "Ế": "EÁ", "ế": "eá",
    "Ề": "EÀ", "ề": "eà", "Ể": "EÅ", "ể": "eå", "Ễ": "EÃ", "ễ": "eã", "Ệ": "EÄ", "ệ": "eä",
    "Í": "Í", "í": "í", "Ì": "Ì", "ì": "ì", "Ỉ": "Æ", "ỉ": "æ", "Ĩ": "Ó", "ĩ": "ó",
    "Ị": "Ò", "ị": "ò", "Ó": "OÙ", "ó": "où", "Ò": "OØ", "ò": "oø", "Ỏ": "OÛ", "ỏ": "oû",
    "Õ": "OÕ", "õ": "oõ", "Ọ": "OÏ", "ọ": "oï", "Ô": "OÂ", "ô": "oâ", "Ố": "OÁ", "ố": "oá",
    "Ồ": "OÀ", "ồ": "oà", "Ổ": "OÅ", "ổ": "oå", "Ỗ": "OÃ", "ỗ": "oã", "Ộ": "OÄ", "ộ": "oä",
    "Ơ": "Ô", "ơ": "ô", "Ớ": "ÔÙ", "ớ": "ôù", "Ờ": "ÔØ", "ờ": "ôø", "Ở": "ÔÛ", "ở": "ôû",
    "Ỡ": "ÔÕ", "ỡ": "ôõ", "Ợ": "ÔÏ", "ợ": "ôï", "Ú": "UÙ", "ú": "uù", "Ù": "UØ", "ù": "uø",
    "Ủ": "UÛ", "ủ": "uû", "Ũ": "UÕ", "ũ": "uõ", "Ụ": "UÏ", "ụ": "uï", "Ư": "Ö", "ư": "ö",
    "Ứ": "ÖÙ", "ứ": "öù", "Ừ": "ÖØ", "ừ": "öø", "Ử": "ÖÛ", "ử": "öû", "Ữ": "ÖÕ", "ữ": "öõ",
    "Ự": "ÖÏ", "ự": "öï", "Ý": "YÙ", "ý": "yù", "Ỳ": "YØ", "ỳ": "yø", "Ỷ": "YÛ", "ỷ": "yû",
    "Ỹ": "YÕ", "ỹ": "yõ", "Ỵ": "Î", "ỵ": "î", "Đ": "Ñ", "đ": "ñ",
}  # fmt: skip
_VNI_DECODE = {vni: letter for letter, vni in _VNI_LETTERS.items()}
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)))

# --- Detection -----------------------------------------------------------------------------------------

# Characters < 256 that Unicode Vietnamese never uses (it only needs ASCII and À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú
# Ý in both cases) and that TCVN3 or VNI text is full of: "Lª V¨n Hïng", "Vieät".
# A plain (not raw) string: the escapes become the characters themselves, which Python's re and pyarrow's RE2
# (behind pandas' str.contains) read alike. The no-break space is left out: genuine text has it too.
_LEGACY_ONLY = (
    "[\x80-\x9f\xa1-\xbf\xc4-\xc7\xcb\xce-\xd1\xd6-\xd8\xdb\xdc\xde\xdf\xe4-\xe7\xeb\xee-\xf1\xf6-\xf8\xfb\xfc\xfe\xff]"
)
# Any of these means the text is already Unicode Vietnamese (precomposed or decomposed).
_VI_UNICODE = "[ĂăĐđĨĩŨũƠơƯư\u0300\u0301\u0303\u0309\u0323\u1ea0-\u1ef9]"
_HIGH = "[\x80-\x9f\xa1-\xff]"
# high & not Unicode Vietnamese in one pass: a high character and no Vietnamese letter anywhere around it.
_CANDIDATE = f"^[^{_VI_UNICODE[1:-1]}]*{_HIGH}[^{_VI_UNICODE[1:-1]}]*$"
_LEGACY_ONLY_RE = re.compile(_LEGACY_ONLY)
_VI_UNICODE_RE = re.compile(_VI_UNICODE)
_WORD_RE = re.compile(r"[^\W\d_]+")
_CAMEL_RE = re.compile("[a-zß-öø-ÿ][À-ÖØ-Þ]")  # "NguyÔn": a capital inside a word is a TCVN3 lowercase
# A whole word (a run that _WORD_RE would match) of two letters or more without ASCII lowercase: only such
# words can be all capitals, so text without one needs no recasing.
_NO_ASCII_LOWER_WORD_RE = re.compile(r"(?<![^\W\d_])(?:(?![a-z])[^\W\d_]){2,}(?![^\W\d_])")
_ASCII_LOWER_RE = re.compile("[a-z]")

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnpqrstvx]"
_RHYMES = """
    a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
    oe oen oeo oet ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uơ uy uya uych uyên uyêt uynh uyt uyu
    uôc uôi uôm uôn uông uôt ư ưc ưi ưm ưn ưng ưt ưu ưa ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêt yêu
    ak ăk âk ek êk ok ôk ơk uk ưk
""".split()  # the -k rhymes: Central Highlands place names (Đắk Lắk, Đắk Nông, Krông Búk)  # noqa: SIM905 -- a word list reads better than 150 quoted strings
_SYLLABLE_RE = re.compile(f"(?:{_INITIALS})?(?:{'|'.join(sorted(_RHYMES, key=len, reverse=True))})")


@functools.lru_cache(maxsize=16384)  # names and places reuse the same few thousand syllables
def _is_syllable(word: str) -> bool:
    """One Vietnamese syllable: initial + rhyme, one tone at most, -c/-ch/-p/-t only with sắc or nặng."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if _SYLLABLE_RE.fullmatch(bare) is None:
        return False
    return not bare.endswith(("c", "ch", "k", "p", "t")) or tones in (["\u0301"], ["\u0323"])


def _reads_as_unicode(text: str) -> bool:
    """Whether ``text`` makes sense as it is: legacy-only characters only as lone symbols, words valid."""
    if _CAMEL_RE.search(text):
        return False
    for match in _LEGACY_ONLY_RE.finditer(text):
        i = match.start()
        if text[i].isalpha() or text[i - 1 : i].isalpha() or text[i + 1 : i + 2].isalpha():
            return False
    return all(_is_syllable(w) for w in _WORD_RE.findall(text) if not w.isascii())


def _decodes_to_vietnamese(decoded: str) -> bool:
    """Whether a decoding gave Vietnamese: every accented word a syllable, one of 2+ letters, no leftovers."""
    if _LEGACY_ONLY_RE.search(decoded) or any(map(unicodedata.combining, decoded)):
        return False
    words = [w for w in _WORD_RE.findall(decoded) if not w.isascii()]
    return any(len(w) > 1 for w in words) and all(_is_syllable(w) for w in words)


def _font_encoding(font: str | None) -> tuple[str | None, bool]:
    """(encoding, uppercase) from a font name, as B2UConverter decides: .Vn* is TCVN3 (…H all caps), VNI*."""
    name = (font or "").strip()
    if name.casefold().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if name.casefold().startswith("vni"):
        return "vni", False
    return None, False


# --- Public: conversion and detection ------------------------------------------------------------------


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (composed).

    Args:
        text: Any text, e.g. decomposed input from macOS or CP1258.

    Returns:
        The NFC form; "Trường" typed as 7 code points comes back as 6.

    Example:
        >>> len(nfc("Tru\u031bo\u031b\u0300ng"))
        6
    """
    return unicodedata.normalize("NFC", text)


def _recase_caps_word(match: re.Match[str]) -> str:
    word = match.group()
    if _ASCII_LOWER_RE.search(word):  # a lowercase ASCII letter: not an all-capitals word
        return word
    return word.upper() if sum(map(str.isupper, word)) >= 2 else word


def _restore_capitals(text: str) -> str:
    """Restore the capitals VN3 cannot write: "NGUYễN" → NGUYỄN, "Bùi Thị ánh" → Bùi Thị Ánh."""
    if _NO_ASCII_LOWER_WORD_RE.search(text):
        text = _WORD_RE.sub(_recase_caps_word, text)
    words = _WORD_RE.findall(text)
    lost = [w for w in words if w[0] in _TONED_LOWER]
    if lost and len(lost) < len(words) and all(w[0].isupper() for w in words if w[0] not in _TONED_LOWER):
        text = _WORD_RE.sub(lambda m: m.group()[0].upper() + m.group()[1:], text)
    return text


def decode_tcvn3(text: str, uppercase: bool = False) -> str:
    """Convert TCVN3 (VN3, ".VnTime" fonts) text that was read as cp1252 or latin-1 to Unicode NFC.

    Characters of 256 and above (Unicode typed into the cell, cp1252 quotes and dashes) are left alone.
    VN3 has no capital toned vowels, so typists used the lowercase glyph: a word whose other letters are
    all capitals (two at least) is upper-cased ("NGUYÔN" → NGUYỄN), and a word starting with a toned vowel
    among words that all start with a capital is capitalised ("Bïi ThÞ ¸nh" → Bùi Thị Ánh).

    Args:
        text: The text as Excel, openpyxl or calamine give it, e.g. "§¶ng viªn NguyÔn V¨n Tr\u00adêng".
        uppercase: True for the all-caps ".VnTimeH" fonts: the result is upper-cased.

    Returns:
        The Unicode text, NFC.

    Example:
        >>> decode_tcvn3("§¶ng viªn NguyÔn V¨n Tr\u00adêng")
        'Đảng viên Nguyễn Văn Trường'
        >>> decode_tcvn3("Hµ Néi", uppercase=True)
        'HÀ NỘI'
    """
    decoded = nfc(text.translate(_TCVN3_DECODE))
    return decoded.upper() if uppercase else _restore_capitals(decoded)


def decode_vni(text: str) -> str:
    """Convert VNI-Windows text (base letter + mark byte, read as cp1252 or latin-1) to Unicode NFC.

    Args:
        text: The text as read from a cell in a "VNI-Times" font, e.g. "Ñaûng vieân".

    Returns:
        The Unicode text, NFC. Characters that are not part of a VNI letter are left alone.

    Example:
        >>> decode_vni("Ñaûng vieân Nguyeãn Vaên Tröôøng")
        'Đảng viên Nguyễn Văn Trường'
    """
    text = text.translate(_C1_AS_CP1252)
    return nfc(_VNI_RE.sub(lambda m: _VNI_DECODE[m.group()], text))


def _decode(text: str, encoding: str, uppercase: bool = False) -> str:
    return decode_tcvn3(text, uppercase) if encoding == "tcvn3" else decode_vni(text)


def detect_legacy(text: str, font: str | None = None) -> str | None:
    """Tell whether ``text`` is TCVN3 or VNI read as cp1252, favouring precision over recall.

    With a legacy font name (".VnTime", ".VnArialH", "VNI-Times") the font decides, as B2UConverter does,
    unless the text already holds Unicode Vietnamese, the decoding would change nothing, or the text reads
    as valid Vietnamese while its decoding does not ("Võ Thành Tâm" typed in Unicode into a .VnTime cell).
    Otherwise the content decides: no Unicode Vietnamese letter, at least one character that only legacy
    text has (ª ¨ ï ø …) inside a word, and exactly one encoding whose decoding is valid Vietnamese
    syllables. Genuine Unicode Vietnamese, ASCII and "José" or "Café" are never flagged.

    Args:
        text: A cell value.
        font: The cell's font name (openpyxl ``cell.font.name``), if known.

    Returns:
        "tcvn3", "vni" or None.

    Example:
        >>> detect_legacy("Lª V¨n Hïng"), detect_legacy("Vieät Nam"), detect_legacy("Lê Văn Hùng")
        ('tcvn3', 'vni', None)
    """
    return _detect(text, font)[0]


def _detect(text: str, font: str | None) -> tuple[str | None, str]:
    """:func:`detect_legacy` and the decoding it found (``""`` when none), so that it is not decoded twice."""
    if _VI_UNICODE_RE.search(text):
        return None, ""
    encoding, uppercase = _font_encoding(font)
    if encoding is not None:
        decoded = _decode(text, encoding, uppercase)
        if decoded == nfc(text) or (_reads_as_unicode(text) and not _decodes_to_vietnamese(decoded)):
            return None, ""
        return encoding, decoded
    if not _LEGACY_ONLY_RE.search(text) or _reads_as_unicode(text):
        return None, ""
    found = [(enc, decoded) for enc in ("tcvn3", "vni") if _decodes_to_vietnamese(decoded := _decode(text, enc))]
    return found[0] if len(found) == 1 else (None, "")


def fix_legacy(text: str, font: str | None = None) -> tuple[str, str | None]:
    """Convert ``text`` to Unicode NFC if :func:`detect_legacy` finds a legacy encoding.

    Args:
        text: A cell value.
        font: The cell's font name, if known; ".Vn…H" fonts give upper-case text.

    Returns:
        ``(text, encoding)``: the converted text and "tcvn3" or "vni", or ``(nfc(text), None)``.

    Example:
        >>> fix_legacy("NguyÔn ThÞ Hoa")
        ('Nguyễn Thị Hoa', 'tcvn3')
    """
    encoding, decoded = _detect(text, font)
    return (nfc(text), None) if encoding is None else (decoded, encoding)


# --- Public: pandas --------------------------------------------------------------------------------------


def _as_text(series: pd.Series[Any]) -> pd.Series[Any]:
    return series if isinstance(series.dtype, pd.StringDtype) else series.astype("string")


def legacy_candidates(series: pd.Series[Any]) -> pd.Series[bool]:
    """Cheap vectorised pre-filter: values with a character in 0x80-0xFF and no Unicode Vietnamese letter.

    Nothing else can be legacy text (without a font hint), so only these rows need
    :func:`fix_legacy_series`; most Unicode Vietnamese values hold a letter such as ư, ơ, đ or ạ and drop
    out after two regex scans.

    Args:
        series: Text values; missing values give False.

    Returns:
        A boolean Series on the same index.

    Example:
        >>> legacy_candidates(pd.Series(["Lª V¨n Hïng", "Lê Văn Hùng", "Nguyen Van A", None])).tolist()
        [True, False, False, False]
    """
    text = _as_text(series)
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":  # one RE2 pass over Arrow data
        found = pc.match_substring_regex(text.array.__arrow_array__(), _CANDIDATE).fill_null(False)
        return pd.Series(found.to_numpy(zero_copy_only=False), index=text.index, dtype=bool)
    high = text.str.contains(_HIGH, regex=True, na=False)
    unicode_vi = text.str.contains(_VI_UNICODE, regex=True, na=False)
    return (high & ~unicode_vi).astype(bool)


def decodings(value: str) -> list[tuple[str, str]]:
    """The legacy decodings of ``value`` that read as Vietnamese and change it: ``[(encoding, text), …]``.

    Example:
        >>> decodings("Khoâng")
        [('tcvn3', 'Khoõng'), ('vni', 'Không')]
    """
    if _VI_UNICODE_RE.search(value) or _reads_as_unicode(value):
        return []
    out = []
    for enc in ("tcvn3", "vni"):
        decoded = _decode(value, enc)
        if decoded != nfc(value) and _decodes_to_vietnamese(decoded):
            out.append((enc, decoded))
    return out


def fix_by_context(value: str, encodings: set[str]) -> tuple[str, str | None]:
    """Convert a short value that alone reads both ways ("Khoâng", "Bí thö") when its sheet or column shows
    ``encodings`` elsewhere and exactly one of them decodes it to Vietnamese.

    Example:
        >>> fix_by_context("Khoâng", {"vni"})
        ('Không', 'vni')
    """
    return _fix_by_context(value, encodings)


def _fix_by_context(value: str, encodings: set[str]) -> tuple[str, str | None]:
    """Convert a value with no legacy-only character when its column shows ``encodings`` elsewhere."""
    if _VI_UNICODE_RE.search(value) or _reads_as_unicode(value):
        return nfc(value), None
    fits = [enc for enc in sorted(encodings) if _decodes_to_vietnamese(_decode(value, enc))]
    return (_decode(value, fits[0]), fits[0]) if len(fits) == 1 else (nfc(value), None)


def fix_by_column(value: str, encoding: str) -> tuple[str, str | None]:
    """Convert a value that reads both as Unicode and as ``encoding`` ("Vò Thanh Lan": Unicode as it is, TCVN3
    "Vũ Thanh Lan") when its column, in its sheet, is written in ``encoding``: other values of the column were
    converted from it and none holds a letter only Unicode has (ă, ơ, ư, đ, ạ …; see
    ``roster.normalise._legacy_by_context``). Legacy text never holds such a letter, so a column without one that
    shows ``encoding`` elsewhere is that encoding throughout.

    Example:
        >>> fix_by_column("Vò Thanh Lan", "tcvn3")
        ('Vũ Thanh Lan', 'tcvn3')
        >>> fix_by_column("Nguyễn Văn A", "tcvn3")
        ('Nguyễn Văn A', None)
    """
    if _VI_UNICODE_RE.search(value):
        return nfc(value), None
    decoded = _decode(value, encoding)
    if decoded != nfc(value) and _decodes_to_vietnamese(decoded):
        return decoded, encoding
    return nfc(value), None


def has_unicode_vietnamese(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Per value, whether it holds a letter only Unicode Vietnamese has (ă, ơ, ư, đ, ạ …; null for nulls)."""
    return pc.match_substring_regex(values, _VI_UNICODE)


def fix_legacy_series(
    series: pd.Series[Any], fonts: pd.Series[Any] | None = None
) -> tuple[pd.Series[Any], pd.Series[Any]]:
    """Vectorised :func:`fix_legacy`: convert legacy values, NFC the rest, keep missing values.

    The Python-level detection runs only on the rows :func:`legacy_candidates` keeps (and on rows whose
    font is a legacy one when ``fonts`` is given), once per distinct value. The series is also context:
    VNI "Leâ Anh Taâm" holds no legacy-only character and alone is left as it is, but once other values of
    the series are detected as VNI it is converted too, if it does not read as Vietnamese as it stands and
    does after decoding. Without any detected value the result equals :func:`fix_legacy` value by value.

    Args:
        series: Text values (any dtype; non-string dtypes are read as pandas "string").
        fonts: Optional font names, one per value in the same order, e.g. openpyxl ``cell.font.name``.

    Returns:
        ``(converted, encoding)``: the converted values (string dtype, missing kept) and an object Series of
        "tcvn3", "vni" or None.

    Example:
        >>> fixed, enc = fix_legacy_series(pd.Series(["Vieät Nam", "Leâ Taâm", "Hà Nội", None]))
        >>> fixed.tolist()[:3], enc.tolist()
        (['Việt Nam', 'Lê Tâm', 'Hà Nội'], ['vni', 'vni', None, None])
    """
    text = _as_text(series)
    converted = text.str.normalize("NFC")
    font_at: list[str | None] = [None] * len(text)
    rows = legacy_candidates(text).to_numpy(dtype=bool)
    if fonts is not None:
        font_at = [f if isinstance(f, str) else None for f in fonts]
        legacy_font = np.array([_font_encoding(f)[0] is not None for f in font_at], dtype=bool)
        rows = rows | (legacy_font & text.notna().to_numpy())
    values = converted.to_numpy(dtype=object)
    written = text.to_numpy(dtype=object)
    found: list[str | None] = [None] * len(text)
    cache: dict[tuple[str, str | None], tuple[str, str | None]] = {}
    positions = rows.nonzero()[0].tolist()
    for pos in positions:
        key = (str(written[pos]), font_at[pos])
        if key not in cache:
            cache[key] = fix_legacy(*key)
        values[pos], found[pos] = cache[key]
    detected = {enc for enc in found if enc is not None}
    if detected:
        for pos in positions:
            if found[pos] is None and _font_encoding(font_at[pos])[0] is None:
                values[pos], found[pos] = _fix_by_context(str(written[pos]), detected)
    return (
        pd.Series(values, index=series.index, dtype=converted.dtype),
        pd.Series(found, index=series.index, dtype=object),
    )


# --- Public: keys for matching ----------------------------------------------------------------------------

_INVISIBLE = "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
_SPACES = f"{SPACE_CLASS}+"
# Old and new tone placement in open syllables oa, oe, uy: "hòa"/"hoà", "khỏe"/"khoẻ", "thủy"/"thuỷ". The key
# uses the tone on the second vowel (Unikey's "oà, uý" style). "q" needs no care: in "quý" the u has no tone.
# The tail group stands for a look-ahead, which RE2 (pyarrow, behind pandas' str.replace) does not have.
_TONE_MOVES: list[tuple[str, str]] = [
    (f"{nfc(first + tone)}{second}([^a-z]|$)", f"{first}{nfc(second + tone)}\\1")
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for tone in _TONES
]
# CP1258 text read as cp1252 shows Đ đ as the look-alike Ð ð (U+00D0, U+00F0).
_KEY_REPLACEMENTS: list[tuple[str, str]] = [(_INVISIBLE, ""), (_SPACES, " "), ("ð", "đ"), *_TONE_MOVES]
_KEY_REPLACEMENTS_RE = [(re.compile(pattern), repl) for pattern, repl in _KEY_REPLACEMENTS]
# Any text one of the replacements changes (a space is replaced only when not a single one).
_KEY_REPLACED = "|".join(
    [pattern for pattern, _ in _KEY_REPLACEMENTS if pattern != _SPACES] + ["  ", f"[{OTHER_SPACES}]"]
)


def name_key(text: str) -> str:
    """Return a key that matches names across case, spacing, NFC/NFD and old/new tone placement.

    Invisible characters (zero-width, soft hyphen, bidi marks) are dropped, all spaces (NBSP too) collapse
    to one, "Ð" reads as "Đ", and "Hoà"/"Hòa", "Thuỷ"/"Thủy", "Khoẻ"/"Khỏe" give the same key. Other
    diacritics are kept: "Hòa" and "Hoa" differ.

    Args:
        text: A name, e.g. of a person or a chi bộ.

    Returns:
        The key (casefolded NFC); not meant for display.

    Example:
        >>> name_key("  Nguyễn  Thị THỦY ") == name_key("nguyễn thị thuỷ")
        True
    """
    key = nfc(nfc(text).casefold())
    for pattern, repl in _KEY_REPLACEMENTS_RE:
        key = pattern.sub(repl, key)
    return key.strip(" ")


def _key_safe_class() -> str:
    """A regex character class of the characters whose name key Arrow computes as Python does.

    Arrow's NFC and lowercase (utf8proc) stand in for Python's ``unicodedata`` NFC and ``str.casefold``:
    taken are the Latin, Vietnamese, combining-mark, space and invisible characters for which the three
    agree character by character (not "ß", whose casefold is "ss", nor U+0345, which casefolds to "ι").
    Lowercase is context-free for them, and the NFC of their combinations is fixed by Unicode's stability
    policy, so the agreement holds for any text made of them.
    """
    ranges: list[tuple[int, int]] = [(0x09, 0x0D), (0x1C, 0x7E), (0x85, 0x85), (0xA0, 0x24F), (0x300, 0x36F)]
    ranges += [(0x1E00, 0x1EFF), (0x2000, 0x2064), (0x3000, 0x3000), (0xFEFF, 0xFEFF)]
    chars = [chr(c) for low, high in ranges for c in range(low, high + 1)]
    lower = pc.utf8_lower(pa.array(chars)).to_pylist()
    composed = pc.utf8_normalize(pa.array(chars), form="NFC").to_pylist()
    kept = [
        ord(c)
        for c, low, nfc_c in zip(chars, lower, composed, strict=True)
        if c.casefold() == c.lower() == low and nfc_c == unicodedata.normalize("NFC", c)
    ]
    runs: list[list[int]] = []
    for code in kept:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs) + "]"


_KEY_SAFE = f"^{_key_safe_class()}*$"


def _name_keys(values: Any) -> Any:
    """:func:`name_key` of every value of an Arrow string array (nulls stay null), in Arrow where it can."""
    safe = pc.match_substring_regex(values, _KEY_SAFE).fill_null(True).to_numpy(zero_copy_only=False)
    key = pc.utf8_normalize(pc.utf8_lower(pc.utf8_normalize(values, form="NFC")), form="NFC")
    touched = pc.match_substring_regex(key, _KEY_REPLACED).fill_null(False)
    if pc.any(touched).as_py():  # the replacements, on the few values they change
        subset = key.filter(touched)
        for pattern, repl in _KEY_REPLACEMENTS:
            subset = pc.replace_substring_regex(subset, pattern, repl)
        key = pc.replace_with_mask(key, touched, subset)
    key = pc.utf8_trim(key, " ")
    if not safe.all():  # other characters: Python's own name_key, value by value (rare)
        at = np.flatnonzero(~safe)
        python = [name_key(v) for v in values.take(pa.array(at)).to_pylist()]
        key = pc.replace_with_mask(key, pa.array(~safe), pa.array(python, type=key.type))
    return key


def name_key_series(series: pd.Series[Any]) -> pd.Series[Any]:
    """Vectorised :func:`name_key` (same result for every value); missing values stay missing.

    Each distinct value is keyed once, in Arrow (see ``_key_safe_class``) or, for unusual characters, by
    :func:`name_key` itself.

    Args:
        series: Text values (non-string dtypes are read as pandas "string").

    Returns:
        The keys, string dtype, same index.

    Example:
        >>> name_key_series(pd.Series(["Hoà Bình", None])).tolist()
        ['hoà bình', nan]
    """
    text = _as_text(series)
    values = pa.array(text.array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    keys = _name_keys(encoded.dictionary).take(encoded.indices)
    if not pa.types.is_large_string(keys.type):
        keys = keys.cast(pa.large_string())
    result = pd.Series(pd.arrays.ArrowStringArray(keys), index=series.index)
    return result if result.dtype == text.dtype else result.astype(text.dtype)


_D_BAR = str.maketrans("ĐđÐð", "DdDd")  # Ð ð: CP1258's Đ đ read as cp1252


def strip_accents(text: str) -> str:
    """Remove every Vietnamese diacritic, đ → d (and look-alike ð → d) included, for "did you mean".

    Args:
        text: Any text.

    Returns:
        The text without combining marks, NFC.

    Example:
        >>> strip_accents("Đoàn Thị Thu Hà")
        'Doan Thi Thu Ha'
    """
    if text.isascii():  # nothing to strip (the reader calls this for every cell)
        return text
    return _strip_accents(text) if len(text) <= _CACHED_LENGTH else _strip_accents.__wrapped__(text)


_CACHED_LENGTH = 200  # headers, codes and names recur; long free text is not worth keeping


class _Stripped(dict[int, str]):
    """Each character without its marks, worked out the first time it is met (``str.translate`` table)."""

    def __missing__(self, code: int) -> str:
        self[code] = stripped = _strip_whole(chr(code))
        return stripped


_STRIPPED = _Stripped()


def _strip_whole(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D_BAR))
    return nfc("".join([c for c in decomposed if not unicodedata.combining(c)]))


@functools.lru_cache(maxsize=8192)
def _strip_accents(text: str) -> str:
    # character by character through a table, then NFC: the same as decomposing the whole text, dropping the
    # marks and composing again (marks only reorder among themselves; NFC of the joined parts composes the rest)
    return nfc(text.translate(_STRIPPED))
