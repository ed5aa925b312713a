"""Read a multipart upload into a private folder, counting bytes and files as they arrive."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from python_multipart.multipart import MultipartParser, parse_options_header

from dangvien_data.errors import InputError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["Limits", "Upload", "UploadTooLargeError", "read_upload", "safe_name"]

MAX_FIELD_BYTES = 10_000  # a date, a term, a token: never more
MAX_FIELDS = 50


class UploadTooLargeError(InputError):
    """The request is larger than the upload limit (HTTP 413)."""


@dataclass(frozen=True)
class Limits:
    """How much one upload may hold; both are parameters of :func:`~dangvien_data.web.app.create_app`."""

    max_bytes: int = 200 * 1024**2
    max_files: int = 300

    def too_large(self) -> UploadTooLargeError:
        megabytes = self.max_bytes / 1024**2
        return UploadTooLargeError(
            f"Tệp tải lên quá lớn: tổng cộng tối đa {megabytes:g} MB. Chọn ít tệp hơn, hoặc chạy lệnh "
            "dangvien validate trên máy cho tệp lớn.",
            f"The upload is too large: at most {megabytes:g} MB in all. Choose fewer files, or run "
            "dangvien validate on the command line for large files.",
        )

    def too_many(self) -> InputError:
        return InputError(
            f"Quá nhiều tệp: tối đa {self.max_files} tệp một lần. Chọn ít tệp hơn.",
            f"Too many files: at most {self.max_files} at a time. Choose fewer files.",
        )


@dataclass
class Upload:
    """What a form sent: its text fields, and per file field the saved files as ``(path, shown name)``."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[tuple[Path, str]]] = field(default_factory=dict)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')


def safe_name(name: str) -> str:
    """A file name safe to create: no folder, no control or reserved character, not hidden, at most 120 chars."""
    name = unicodedata.normalize("NFC", _UNSAFE.sub("_", name.replace("\\", "/").split("/")[-1])).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 5:
        name = stem[: 120 - len(ext) - 1] + "." + ext
    return name[:120] or "tep"


def _relative_parts(name: str) -> list[str]:
    """A folder upload names each file by its path inside the chosen folder: keep it, made safe part by part."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return [safe_name(p) for p in parts] or ["tep"]


class _Parts:
    """The callbacks of the multipart parser: one part at a time, files written as they arrive."""

    def __init__(self, folder: Path, limits: Limits, folder_fields: frozenset[str]) -> None:
        self.folder, self.limits, self.folder_fields = folder, limits, folder_fields
        self.upload = Upload()
        self.header_name, self.header_value = b"", b""
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.value = bytearray()
        self.out: Any = None
        self.count = 0
        self.error: InputError | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.begin,
            "on_header_field": lambda d, s, e: self._add("header_name", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("header_value", d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.data,
            "on_part_end": self.end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def begin(self) -> None:
        self.headers, self.name, self.value, self.out = {}, "", bytearray(), None

    def header_end(self) -> None:
        self.headers[self.header_name.lower()] = self.header_value
        self.header_name, self.header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            if len(self.upload.fields) >= MAX_FIELDS:
                self.error = self.limits.too_many()
            return
        text = filename.decode("utf-8", "replace")
        if not text:  # a file input left empty
            self.out = False
            return
        self.count += 1
        if self.count > self.limits.max_files:
            self.error = self.limits.too_many()
            self.out = False
            return
        self.out = self._create(text)

    def _create(self, filename: str) -> Any:
        base = self.folder / self.name
        parts = _relative_parts(filename) if self.name in self.folder_fields else [safe_name(filename)]
        path = base.joinpath(*parts)
        n = 1
        while path.exists():  # two files of one name (from two folders, say): keep both
            stem, dot, ext = parts[-1].rpartition(".")
            path = path.with_name(f"{stem} ({n}).{ext}" if dot else f"{parts[-1]} ({n})")
            n += 1
        for parent in reversed(path.relative_to(self.folder).parents):
            if str(parent) != ".":
                (self.folder / parent).mkdir(mode=0o700, exist_ok=True)
        shown = "/".join(parts)
        self.upload.files.setdefault(self.name, []).append((path, shown))
        return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")

    def data(self, data: bytes, start: int, end: int) -> None:
        if self.out:
            self.out.write(data[start:end])
        elif self.out is None:
            self.value += data[start:end]
            if len(self.value) > MAX_FIELD_BYTES:
                self.error = self.limits.too_large()

    def end(self) -> None:
        if self.out:
            self.out.close()
        elif self.out is None and self.name:
            self.upload.fields[self.name] = self.value.decode("utf-8", "replace")
        self.out = False

    def close(self) -> None:
        if self.out:
            self.out.close()


async def read_upload(
    content_type: str,
    stream: AsyncIterator[bytes],
    folder: Path,
    limits: Limits,
    *,
    folder_fields: frozenset[str] = frozenset(),
) -> Upload:
    """Parse a ``multipart/form-data`` body from ``stream`` into ``folder`` (created 0700).

    The byte limit is counted on the body as it arrives, so a request without ``Content-Length`` is held to it
    too; reading stops at the first byte over the limit (the rest is never read).

    Raises:
        UploadTooLargeError: more than ``limits.max_bytes``.
        InputError: more than ``limits.max_files`` files, or a body that is not a form.
    """
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InputError("Yêu cầu không phải biểu mẫu tải tệp.", "The request is not a file upload form.")
    folder.mkdir(mode=0o700, exist_ok=True)
    parts = _Parts(folder, limits, folder_fields)
    parser = MultipartParser(boundary, parts.callbacks())
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > limits.max_bytes:
                raise limits.too_large()
            parser.write(chunk)
            if parts.error is not None:
                raise parts.error
        parser.finalize()
    finally:
        parts.close()
    return parts.upload
