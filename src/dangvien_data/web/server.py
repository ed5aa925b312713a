"""Run the web application with uvicorn on a local port; delete its private folder when it stops."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import webbrowser
from typing import TextIO

from dangvien_data.web.app import create_app
from dangvien_data.web.upload import Limits

__all__ = ["LOCAL_HOSTS", "TokenFilter", "serve"]

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class TokenFilter(logging.Filter):
    """Keeps the session token and personal data out of uvicorn's log lines (its access log is off already).

    The token is replaced by "…"; an exception keeps only its type, since its text or traceback may quote a
    cell of the roster.
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            text = f"{text} ({record.exc_info[0].__name__})"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = text.replace(self.token, "…"), None
        return True


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _url(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{token}/"


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    open_browser: bool = True,
    max_upload_bytes: int = Limits.max_bytes,
    max_files: int = Limits.max_files,
    out: TextIO | None = None,
) -> int:
    """Serve the page until interrupted; returns 0.

    Args:
        host: the address to listen on; anything but the local machine is warned about.
        port: the port (0: a free one, printed).
        open_browser: open the page in the default browser once the server listens.
        max_upload_bytes: the most one upload may hold.
        max_files: the most files one upload may hold.
        out: where the address is printed (default standard output).
    """
    import uvicorn

    stream = out or sys.stdout
    sock = _bind(host, port)
    actual = sock.getsockname()[1]
    hosts = list(LOCAL_HOSTS) if host in LOCAL_HOSTS else ["*"]
    app = create_app(max_upload_bytes=max_upload_bytes, max_files=max_files, allowed_hosts=hosts)
    token = app.state.token
    if host not in LOCAL_HOSTS:
        sys.stderr.write(
            f"dangvien: CẢNH BÁO: trang nghe trên {host}, không chỉ máy này: ai có địa chỉ (kèm mã phiên) đều xem "
            "được dữ liệu cá nhân của đảng viên. Chỉ dùng trong mạng tin cậy. / WARNING: listening on "
            f"{host}, not only this machine: anyone with the address (and its token) can see members' personal "
            "data. Use on a trusted network only.\n"
        )
    url = _url("127.0.0.1" if host in ("0.0.0.0", "::") else host, actual, token)
    stream.write(f"Trang kiểm tra / web page: {url}\nDừng: Ctrl+C / stop: Ctrl+C\n")
    stream.flush()
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addFilter(TokenFilter(token))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl+C, then raises it again: the stop asked for, not an error
        pass
    finally:
        app.state.workspace.close()
        sock.close()
    return 0
