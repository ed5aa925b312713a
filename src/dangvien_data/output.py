"""Writing outputs safely: never over an input, atomically (temporary file, then rename), text never a formula."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import OutputPathError

__all__ = ["atomic_write", "check_output_path", "safe_cell_value"]

_FORMULA_START = ("=", "+", "-", "@")


def check_output_path(out: str | Path, inputs: Iterable[str | Path]) -> Path:
    """Refuse an output path that is one of the inputs or sits in a folder that cannot be written.

    Raises:
        OutputPathError: with a Vietnamese and English message naming the path and the fix.
    """
    path = Path(out)
    target = path.resolve()
    for item in inputs:
        if Path(item).resolve() == target:
            raise OutputPathError(
                f"Tệp kết quả {path} trùng với tệp đầu vào; công cụ không bao giờ ghi đè dữ liệu gốc. "
                'Chọn tên tệp khác, ví dụ thêm "_ket_qua".',
                f"Output {path} is one of the inputs; the tool never overwrites the original. "
                'Choose another name, e.g. add "_result".',
                path=str(path),
            )
    folder = target.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OutputPathError(
            f"Không ghi được vào thư mục {folder} (không tồn tại hoặc không có quyền ghi). "
            "Chọn thư mục khác cho tệp kết quả.",
            f"Cannot write into folder {folder} (missing or not writable). Choose another folder for the output.",
            path=str(path),
        )
    return path


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(out: str | Path, write: Callable[[Path], Any], *, inputs: Iterable[str | Path] = ()) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``out``, then rename it over ``out`` in one step.

    An interrupted run leaves no partial file; an existing output is replaced only whole.
    """
    path = check_output_path(out, inputs)
    with _temporary_beside(path) as tmp:
        write(tmp)
        os.replace(tmp, path)
    return path


def safe_cell_value(value: Any) -> tuple[Any, bool]:
    """(value, is_text): text that Excel would take for a formula (=, +, -, @) must be stored as text."""
    return value, isinstance(value, str) and value.startswith(_FORMULA_START)
