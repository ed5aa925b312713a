"""Writing outputs safely: never over an input, atomically (temporary file, then rename), text never a formula."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import signal
import stat
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from dangvien_data.errors import OutputPathError, display_name

__all__ = ["MAX_CELL_TEXT", "atomic_write", "check_output_path", "iter_json", "safe_cell_value"]

_FORMULA_START = ("=", "+", "-", "@")
# Characters XML 1.0 cannot hold (openpyxl refuses them and Excel would call the file corrupt).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32_767  # Excel's limit for the text of one cell; longer text makes Excel "repair" the file


def check_output_path(out: str | Path, inputs: Iterable[str | Path]) -> Path:
    """Refuse an output path that is one of the inputs or sits in a folder that cannot be written.

    The same file reached by another name (a symbolic or hard link, ``./`` or ``..``) counts as the input.

    Raises:
        OutputPathError: with a Vietnamese and English message naming the path and the fix.
    """
    path = Path(out)
    try:
        target = path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop, an unreadable parent
        raise _unwritable(path, path.parent, str(exc)) from exc
    for item in inputs:
        if Path(item).resolve() == target or _same_file(Path(item), target):
            raise OutputPathError(
                f"Tệp kết quả {display_name(path)} trùng với tệp đầu vào; công cụ không bao giờ ghi đè dữ liệu gốc. "
                'Chọn tên tệp khác, ví dụ thêm "_ket_qua".',
                f"Output {display_name(path)} is one of the inputs; the tool never overwrites the original. "
                'Choose another name, e.g. add "_result".',
                path=str(path),
            )
    if target.is_dir():
        raise OutputPathError(
            f"{display_name(path)} là một thư mục, không phải tên tệp kết quả. Ghi tên tệp, ví dụ "
            f"{display_name(path / 'ket_qua.xlsx')}.",
            f"{display_name(path)} is a folder, not an output file name. Give a file name, e.g. "
            f"{display_name(path / 'result.xlsx')}.",
            path=str(path),
        )
    if _special(target):
        raise OutputPathError(
            f"{display_name(path)} đã tồn tại và không phải tệp thường (là thiết bị, ống dẫn hoặc socket): không "
            "ghi đè. Chọn tên tệp kết quả khác.",
            f"{display_name(path)} exists and is not a regular file (a device, pipe or socket): not overwritten. "
            "Choose another output file name.",
            path=str(path),
        )
    folder = target.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise _unwritable(path, folder, "không tồn tại hoặc không có quyền ghi / missing or not writable")
    return path


def _special(target: Path) -> bool:
    """Whether ``target`` exists and is anything but a regular file or a folder (a device such as /dev/null,
    a named pipe, a socket): writing "over" it would replace a system file or block for ever."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _unwritable(path: Path, folder: Path, reason: str) -> OutputPathError:
    return OutputPathError(
        f"Không ghi được tệp kết quả {display_name(path)} vào thư mục {display_name(folder)} ({reason}). Kiểm tra "
        "quyền ghi và dung lượng đĩa, hoặc chọn thư mục khác cho tệp kết quả.",
        f"Cannot write the output {display_name(path)} into folder {display_name(folder)} ({reason}). Check write "
        "permission and free disk space, or choose another folder for the output.",
        path=str(path),
    )


_STALE = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp")


def _remove_stale(path: Path) -> None:
    """Remove the temporary files a killed run of ours left beside ``path`` (``.NAME.PID.XXXXXXXX.tmp``, owned
    by this user, of a process that no longer runs): they hold the members' data."""
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        found = _STALE.fullmatch(entry.name)
        if found is None or found["name"] != path.name or int(found["pid"]) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not _alive(int(found["pid"])):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a number we cannot ask about: leave its file alone
    return True


class _Terminated(SystemExit):
    """Raised in the main thread by SIGTERM/SIGHUP during a write, so the temporary file is removed."""


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP end the process through an exception (exit 128 + signal number)
    instead of at once, so ``finally`` blocks remove the temporary file; Ctrl+C already does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(128 + signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            previous[number] = signal.signal(number, unwind)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(out: str | Path, write: Callable[[Path], Any], *, inputs: Iterable[str | Path] = ()) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``out``, then rename it over ``out`` in one step.

    An interrupted run (an exception, Ctrl+C, SIGTERM or SIGHUP inside ``write``) leaves no partial file and no
    temporary file; the temporary files of a run killed outright (``kill -9``, a power cut) are removed by the
    next write to the same output. An existing output is replaced only whole. The temporary file is readable
    by its owner only while it is written; the output then gets the permissions the user's umask gives new
    files (``umask 077`` keeps outputs private: they hold personal data).

    Raises:
        OutputPathError: ``out`` is an input, a folder, a device, or cannot be written (permissions, disk
            full …).
    """
    path = check_output_path(out, inputs)
    _remove_stale(path)
    try:
        with _signals_unwind(), _temporary_beside(path) as tmp:
            write(tmp)
            with tmp.open("r+b") as handle:  # on disk before the rename, so a crash cannot leave it empty
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        _drop_quietly(exc)
        del exc
        raise _unwritable(path, path.resolve().parent, reason) from None
    return path


def _drop_quietly(exc: BaseException) -> None:
    """Free what the failed write still holds (an open ZipFile of openpyxl, say) now, without the second
    traceback its ``__del__`` would print on a full disk: the refusal already says what went wrong."""
    hook = sys.unraisablehook

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, OSError):
            hook(unraisable)

    sys.unraisablehook = quiet
    try:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = hook


def safe_cell_value(value: Any) -> tuple[Any, bool]:
    """``(value, is_text)`` for a value about to be written to a worksheet cell.

    Text that Excel would take for a formula (starting with =, +, - or @) must be stored as text: ``is_text``
    is true and the caller sets the cell's type to string. Text also loses the control characters XML cannot
    hold and is cut to Excel's 32,767 characters (ending in "…"), so no value read from a messy input can
    make the output unreadable.
    """
    if not isinstance(value, str):
        return value, False
    if _ILLEGAL_XML.search(value):
        value = _ILLEGAL_XML.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - 1] + "…"
    return value, value.startswith(_FORMULA_START)


def iter_json(data: Mapping[str, Any], indent: int = 2) -> Iterator[str]:
    """``data`` as JSON text (UTF-8, Vietnamese kept readable) in pieces, for ``sys.stdout.writelines``.

    Objects are indented key by key at every depth; each item of a list is written compact, on its own line
    (an issue record, a cell's figures). A list may be any iterator, so a big report need not be held whole.

    json indents with its pure-Python encoder, several times slower than the C one that writes compact text:
    this way only the few object keys go through Python and every list item through the C encoder. The text
    parses to the same value (key order too) as ``json.dumps(data, indent=indent)``.
    """
    plain = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

    def encode(value: Any) -> str:
        text = plain(value)
        return _JSON_UNSAFE.sub(_json_escape, text) if _JSON_UNSAFE.search(text) else text

    return _json_pieces(data, "\n", " " * indent, encode)


# Left raw by json without ensure_ascii, but acted on by terminals (C1 controls, DEL, bidirectional overrides)
# or refused by a UTF-8 encoder (lone surrogates: bytes of a file name that were not UTF-8): \u escapes.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found[0]):04x}"


def _json_pieces(value: Any, newline: str, pad: str, encode: Callable[[Any], str]) -> Iterator[str]:
    inner = newline + pad
    if isinstance(value, Mapping):
        opening = "{"
        for key, item in value.items():
            yield f"{opening}{inner}{encode(key if isinstance(key, str) else encode(key))}: "
            yield from _json_pieces(item, inner, pad, encode)
            opening = ","
        yield "{}" if opening == "{" else newline + "}"
    elif isinstance(value, list | tuple | Iterator):
        opening = "["
        for item in value:
            yield f"{opening}{inner}{encode(item)}"
            opening = ","
        yield "[]" if opening == "[" else newline + "]"
    else:
        yield encode(value)
