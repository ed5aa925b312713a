"""The local web application: pages over the same library calls as the command line, safe by default."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dangvien_data.web.jobs import Workspace
from dangvien_data.web.pages import Pages
from dangvien_data.web.text import translate
from dangvien_data.web.upload import Limits

__all__ = ["SECURITY_HEADERS", "create_app"]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
_STATIC = Path(__file__).parent / "static"


class _Headers:
    """Adds :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Gate:
    """Only the session token opens the pages (compared in constant time); and only named hosts (DNS rebinding)."""

    def __init__(self, app: ASGIApp, token: str, hosts: Sequence[str]) -> None:
        self.app, self.token, self.hosts = app, token, {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        host = headers.get(b"host", b"").decode("latin-1").lower()
        host_name = urlsplit("//" + host).hostname or ""
        first = scope["path"].lstrip("/").split("/", 1)[0]
        allowed = "*" in self.hosts or host_name in self.hosts
        if allowed and (first == "static" or hmac.compare_digest(first.encode(), self.token.encode())):
            await self.app(scope, receive, send)
            return
        text = translate("not_found", "vi") + " / " + translate("not_found", "en")
        await HTMLResponse(f"<!doctype html><title>404</title><p>{text}</p>", status_code=404)(scope, receive, send)


def create_app(
    *,
    token: str | None = None,
    max_upload_bytes: int = Limits.max_bytes,
    max_files: int = Limits.max_files,
    allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "::1"),
    workers: int = 2,
    workspace: Workspace | None = None,
) -> Starlette:
    """Build the application; its pages live under ``/<token>/``.

    Args:
        token: the session token in every URL (default: a new random one, ``app.state.token``).
        max_upload_bytes: the most one upload may hold, counted as the body arrives.
        max_files: the most files one upload may hold.
        allowed_hosts: the ``Host`` names answered (others get 404: no DNS rebinding to this page).
        workers: how many checks run at once (one thread each); more wait their turn.
        workspace: where uploads and outputs live (default a new private temporary folder).

    Example:
        >>> app = create_app()                                   # doctest: +SKIP
        >>> uvicorn.run(app, host="127.0.0.1", access_log=False)  # doctest: +SKIP
    """
    token = token or secrets.token_urlsafe(24)
    limits = Limits(max_upload_bytes, max_files)
    space = workspace or Workspace(workers)
    pages = Pages(f"/{token}", secrets.token_urlsafe(24), limits, space)
    routes = [
        Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
        Mount(
            f"/{token}",
            routes=[
                Route("/", pages.index),
                Route("/check", pages.check, methods=["POST"]),
                Route("/template", pages.template, methods=["POST"]),
                Route("/end", pages.end, methods=["POST"]),
                Route("/job/{job}", pages.job),
                Route("/job/{job}/status", pages.status),
                Route("/job/{job}/download/{name}", pages.download),
            ],
        ),
    ]
    app = Starlette(routes=routes, exception_handlers={404: pages.not_found, 500: pages.server_error})
    app.add_middleware(_Gate, token=token, hosts=allowed_hosts)
    app.add_middleware(_Headers)
    app.state.token, app.state.workspace, app.state.limits = token, space, limits
    return app
