"""The local web application: pages over the same library calls as the command line, safe by default."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dangvien_data.errors import DangvienError, InputError
from dangvien_data.web import view
from dangvien_data.web.jobs import Job, JobInputs, Workspace
from dangvien_data.web.text import LANGS, translate
from dangvien_data.web.upload import Limits, UploadTooLargeError, read_upload

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
_DOWNLOADS = {
    "annotated": ("da_kiem_tra.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "summary": ("tong_hop.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "dossier": ("ket_qua_ho_so.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class _BadFormError(InputError):
    """A form without this page's CSRF token, or sent from another site."""


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


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "vi"
    return lang if lang in LANGS else "vi"


def _date(text: str, default: dt.date | None) -> dt.date | None:
    text = text.strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(translate("bad_date", "vi"), translate("bad_date", "en")) from None


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
    """
    token = token or secrets.token_urlsafe(24)
    csrf = secrets.token_urlsafe(24)
    limits = Limits(max_upload_bytes, max_files)
    space = workspace or Workspace(workers)
    env = Environment(loader=PackageLoader("dangvien_data.web", "templates"), autoescape=select_autoescape())
    prefix = f"/{token}"

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = _lang(request)
        other = "en" if lang == "vi" else "vi"

        def t(key: str, **values: object) -> str:
            return translate(key, lang, **values)

        html = env.get_template(name).render(
            t=t,
            lang=lang,
            prefix=prefix,
            csrf=csrf,
            limits=limits,
            switch_url=f"{request.url.path}?lang={other}",
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if "lang" in request.query_params and lang == request.query_params["lang"]:
            response.set_cookie("lang", lang, path=prefix + "/", httponly=True, samesite="strict")
        return response

    def problem(request: Request, error: DangvienError, status: int = 400) -> HTMLResponse:
        response = page(request, "error.html", status, message=error.message(_lang(request)))
        if status == 413:  # the rest of the body is not wanted: close rather than read it to the end
            response.headers["connection"] = "close"
        return response

    def same_origin(request: Request) -> bool:
        """The browser's own word that the form came from this page (after Go's CrossOriginProtection)."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        return (
            origin is None
            or (origin == "null" and site == "same-origin")
            or urlsplit(origin).netloc == request.url.netloc
        )

    def bad_form() -> InputError:
        return _BadFormError(translate("bad_form", "vi"), translate("bad_form", "en"))

    def csrf_ok(value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), csrf.encode())

    async def index(request: Request) -> Response:
        jobs = sorted(space.jobs.values(), key=lambda j: j.id)
        return page(request, "index.html", jobs=jobs, today=dt.date.today().isoformat())

    async def check(request: Request) -> Response:
        if not same_origin(request):
            return problem(request, bad_form(), 403)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limits.max_bytes:
            return problem(request, limits.too_large(), 413)  # refused before a byte of the body is read
        job_id, folder = space.new_folder()
        try:
            upload = await read_upload(
                request.headers.get("content-type", ""),
                request.stream(),
                folder / "in",
                limits,
                folder_fields=frozenset({"folder"}),
            )
            if not csrf_ok(upload.fields.get("csrf")):
                raise bad_form()
            inputs = _inputs(upload, folder / "in", _lang(request))
        except ClientDisconnect:
            space.forget(folder)
            return Response(status_code=400)
        except UploadTooLargeError as exc:
            space.forget(folder)
            return problem(request, exc, 413)
        except DangvienError as exc:
            space.forget(folder)
            return problem(request, exc, 403 if isinstance(exc, _BadFormError) else 400)
        names = {str(p): shown for files in upload.files.values() for p, shown in files}
        space.submit(Job(job_id, folder, inputs, names))
        return RedirectResponse(f"{prefix}/job/{job_id}", status_code=303)

    def _inputs(upload: Any, root: Path, lang: str) -> JobInputs:
        rosters = upload.files.get("rosters", [])
        base = root / "folder"  # a folder upload names each file by its path inside the folder chosen
        tops = {p.relative_to(base).parts for p, _ in upload.files.get("folder", [])}
        folders = sorted({base / parts[0] if len(parts) > 1 else base for parts in tops})
        if not rosters and not folders:
            raise InputError(translate("no_roster", "vi"), translate("no_roster", "en"))
        declared = upload.files.get("declared", [])
        seats = upload.fields.get("seats", "").strip()
        if seats and not seats.isdigit():
            raise InputError(translate("bad_seats", "vi"), translate("bad_seats", "en"))
        as_of = _date(upload.fields.get("as_of", ""), None) or dt.date.today()
        return JobInputs(
            rosters=rosters,
            folders=folders,
            as_of=as_of,
            term=upload.fields.get("term", "").strip() or "2020-2025",
            lang=lang,
            declared=declared[0][0] if declared else None,
            dossiers=upload.files.get("dossiers", []),
            congress_date=_date(upload.fields.get("congress_date", ""), None),
            seats=int(seats) if seats else None,
        )

    def job_of(request: Request) -> Job | None:
        return space.get(request.path_params["job"])

    async def job_page(request: Request) -> Response:
        job = job_of(request)
        if job is None:
            return page(request, "error.html", 404, message=translate("not_found", _lang(request)))
        if not job.finished:
            return page(request, "progress.html", job=job, status_url=f"{prefix}/job/{job.id}/status")
        if job.state == "failed":
            lang = _lang(request)
            message = job.say(job.error, lang) if job.error else translate("internal", lang, kind=job.internal)
            return page(request, "error.html", 422, message=message, job=job)
        lang = _lang(request)
        query = request.query_params
        filters = view.Filters(query.get("cell", ""), query.get("severity", ""), query.get("code", ""))
        return page(
            request,
            "result.html",
            job=job,
            filters=filters,
            issues=view.issue_groups(job, filters, lang),
            counts=view.counts_table(job, lang),
            differences=view.differences(job, lang),
            candidates=job.dossier.candidate_rows(lang) if job.dossier is not None else None,
            notes={k: job.say(v, lang) for k, v in job.notes.items()},
            files=[job.shown(f) for f in job.report.files],
        )

    async def status(request: Request) -> Response:
        job = job_of(request)
        if job is None:
            return JSONResponse({"state": "gone"}, status_code=404)
        data = job.progress()
        data["text"] = translate(job.stage, _lang(request), **job.progress())
        return JSONResponse(data)

    async def download(request: Request) -> Response:
        job = job_of(request)
        name = request.path_params["name"]
        if job is None or job.state != "done":
            return page(request, "error.html", 404, message=translate("not_found", _lang(request)))
        lang = _lang(request)
        if name == "issues.csv":
            return Response(view.issues_csv(job, lang), media_type="text/csv; charset=utf-8", headers=_attach(name))
        if name == "issues.json":
            return Response(view.issues_json(job, lang), media_type="application/json", headers=_attach(name))
        if name in _DOWNLOADS and name in job.outputs:
            filename, media = _DOWNLOADS[name]
            return FileResponse(job.outputs[name], media_type=media, filename=filename)
        return page(request, "error.html", 404, message=translate("not_found", lang))

    async def template(request: Request) -> Response:
        if not same_origin(request):
            return problem(request, bad_form(), 403)
        form = await request.form(max_files=0, max_fields=10, max_part_size=MAX_TEMPLATE_FIELD)
        if not csrf_ok(str(form.get("csrf", ""))):
            return problem(request, bad_form(), 403)
        from dangvien_data.template.writer import write_template

        kind = str(form.get("kind", "roster"))
        folder = space.scratch()
        try:
            path = write_template(
                kind,
                folder / f"mau_{kind}.xlsx",
                cell=str(form.get("cell", "")).strip() or None,
                organisation=str(form.get("organisation", "")).strip() or None,
            )
        except DangvienError as exc:
            return problem(request, exc)
        return FileResponse(path, media_type=_DOWNLOADS["summary"][1], filename=path.name)

    async def end(request: Request) -> Response:
        if not same_origin(request):
            return problem(request, bad_form(), 403)
        form = await request.form(max_files=0, max_fields=5, max_part_size=MAX_TEMPLATE_FIELD)
        if not csrf_ok(str(form.get("csrf", ""))):
            return problem(request, bad_form(), 403)
        space.clear()
        return page(request, "ended.html")

    async def not_found(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", 404, message=translate("not_found", _lang(request)))

    async def server_error(request: Request, exc: Exception) -> Response:
        text = (
            translate("internal", "vi", kind=type(exc).__name__)
            + " / "
            + translate("internal", "en", kind=type(exc).__name__)
        )
        return HTMLResponse(f"<!doctype html><title>500</title><p>{text}</p>", status_code=500)

    routes = [
        Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
        Mount(
            prefix,
            routes=[
                Route("/", index),
                Route("/check", check, methods=["POST"]),
                Route("/template", template, methods=["POST"]),
                Route("/end", end, methods=["POST"]),
                Route("/job/{job}", job_page),
                Route("/job/{job}/status", status),
                Route("/job/{job}/download/{name}", download),
            ],
        ),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 500: server_error})
    app.add_middleware(_Gate, token=token, hosts=allowed_hosts)
    app.add_middleware(_Headers)
    app.state.token, app.state.workspace, app.state.limits = token, space, limits
    return app


MAX_TEMPLATE_FIELD = 2_000


def _attach(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}
