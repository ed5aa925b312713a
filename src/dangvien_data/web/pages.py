"""The pages: each handler parses its request, calls the library (through a job) and renders a template."""

from __future__ import annotations

import datetime as dt
import hmac
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from dangvien_data.errors import DangvienError, InputError
from dangvien_data.web import view
from dangvien_data.web.jobs import Job, JobInputs, Workspace
from dangvien_data.web.text import LANGS, translate
from dangvien_data.web.upload import Limits, Upload, UploadTooLargeError, read_upload

__all__ = ["Pages"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {"annotated": "da_kiem_tra.xlsx", "summary": "tong_hop.xlsx", "dossier": "ket_qua_ho_so.xlsx"}
MAX_SMALL_FIELD = 2_000  # the fields of the template and end-session forms


class BadFormError(InputError):
    """A form without this page's CSRF token, or sent from another site."""


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "vi"
    return lang if lang in LANGS else "vi"


def _error(key: str) -> InputError:
    return InputError(translate(key, "vi"), translate(key, "en"))


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _error("bad_date") from None


def _attach(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


def job_inputs(upload: Upload, root: Path, lang: str) -> JobInputs:
    """The job's inputs from the check form, as the command line would take them.

    Raises:
        InputError: no roster file nor folder, a date not in YYYY-MM-DD form, seats not a whole number.
    """
    rosters = upload.files.get("rosters", [])
    base = root / "folder"  # a folder upload names each file by its path inside the folder chosen
    tops = {p.relative_to(base).parts for p, _ in upload.files.get("folder", [])}
    folders = sorted({base / parts[0] if len(parts) > 1 else base for parts in tops})
    if not rosters and not folders:
        raise _error("no_roster")
    declared = upload.files.get("declared", [])
    seats = upload.fields.get("seats", "").strip()
    if seats and not seats.isdigit():
        raise _error("bad_seats")
    return JobInputs(
        rosters=rosters,
        folders=folders,
        as_of=_date(upload.fields.get("as_of", "")) or dt.date.today(),
        term=upload.fields.get("term", "").strip() or "2020-2025",
        lang=lang,
        declared=declared[0][0] if declared else None,
        dossiers=upload.files.get("dossiers", []),
        congress_date=_date(upload.fields.get("congress_date", "")),
        seats=int(seats) if seats else None,
    )


class Pages:
    """The handlers of one application: its URL prefix (the token), CSRF token, limits and workspace."""

    def __init__(self, prefix: str, csrf: str, limits: Limits, space: Workspace) -> None:
        self.prefix, self.csrf, self.limits, self.space = prefix, csrf, limits, space
        self.env = Environment(loader=PackageLoader("dangvien_data.web", "templates"), autoescape=select_autoescape())

    # --- rendering and checks ---

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = _lang(request)

        def t(key: str, **values: object) -> str:
            return translate(key, lang, **values)

        html = self.env.get_template(name).render(
            t=t,
            lang=lang,
            prefix=self.prefix,
            csrf=self.csrf,
            limits=self.limits,
            switch_url=f"{request.url.path}?lang={'en' if lang == 'vi' else 'vi'}",
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") == lang:
            response.set_cookie("lang", lang, path=self.prefix + "/", httponly=True, samesite="strict")
        return response

    def problem(self, request: Request, error: DangvienError, status: int = 400) -> HTMLResponse:
        response = self.page(request, "error.html", status, message=error.message(_lang(request)))
        if status == 413:  # the rest of the body is not wanted: close rather than read it to the end
            response.headers["connection"] = "close"
        return response

    def missing(self, request: Request) -> HTMLResponse:
        return self.page(request, "error.html", 404, message=translate("not_found", _lang(request)))

    @staticmethod
    def same_origin(request: Request) -> bool:
        """The browser's own word that the form came from this page (after Go's CrossOriginProtection)."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        if origin is None or (origin == "null" and site == "same-origin"):
            return True
        return urlsplit(origin).netloc == request.url.netloc

    def csrf_ok(self, value: object) -> bool:
        return isinstance(value, str) and hmac.compare_digest(value.encode(), self.csrf.encode())

    def bad_form(self) -> BadFormError:
        return BadFormError(translate("bad_form", "vi"), translate("bad_form", "en"))

    async def small_form(self, request: Request) -> dict[str, str] | None:
        """The fields of a small form when it came from this page with its CSRF token, else None."""
        if not self.same_origin(request):
            return None
        form = await request.form(max_files=0, max_fields=10, max_part_size=MAX_SMALL_FIELD)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return fields if self.csrf_ok(fields.get("csrf")) else None

    # --- handlers ---

    async def index(self, request: Request) -> Response:
        return self.page(request, "index.html", jobs=self.space.all(), today=dt.date.today().isoformat())

    async def check(self, request: Request) -> Response:
        """The check form: stream the upload into a new job's folder, start the job, go to its page."""
        if not self.same_origin(request):
            return self.problem(request, self.bad_form(), 403)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limits.max_bytes:
            return self.problem(request, self.limits.too_large(), 413)  # refused before the body is read
        job_id, folder = self.space.new_folder()
        try:
            upload = await read_upload(
                request.headers.get("content-type", ""),
                request.stream(),
                folder / "in",
                self.limits,
                folder_fields=frozenset({"folder"}),
            )
            if not self.csrf_ok(upload.fields.get("csrf")):
                raise self.bad_form()
            inputs = job_inputs(upload, folder / "in", _lang(request))
        except ClientDisconnect:
            self.space.forget(folder)
            return Response(status_code=400)
        except DangvienError as exc:
            self.space.forget(folder)
            status = 413 if isinstance(exc, UploadTooLargeError) else 403 if isinstance(exc, BadFormError) else 400
            return self.problem(request, exc, status)
        names = {str(p): shown for files in upload.files.values() for p, shown in files}
        self.space.submit(Job(job_id, folder, inputs, names))
        return RedirectResponse(f"{self.prefix}/job/{job_id}", status_code=303)

    async def job(self, request: Request) -> Response:
        """A job's page: its progress while it runs, then its result (or the reason it could not run)."""
        job = self.space.get(request.path_params["job"])
        if job is None:
            return self.missing(request)
        if not job.finished:
            return self.page(request, "progress.html", job=job, status_url=f"{self.prefix}/job/{job.id}/status")
        lang = _lang(request)
        if job.state == "failed":
            message = job.say(job.error, lang) if job.error else translate("internal", lang, kind=job.internal)
            return self.page(request, "error.html", 422, message=message, job=job)
        query = request.query_params
        filters = view.Filters(query.get("cell", ""), query.get("severity", ""), query.get("code", ""))
        return self.page(
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

    async def status(self, request: Request) -> Response:
        """A job's progress as JSON, polled by static/app.js."""
        job = self.space.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"state": "gone"}, status_code=404)
        data = job.progress()
        data["text"] = translate(job.stage, _lang(request), **data)
        return JSONResponse(data)

    async def download(self, request: Request) -> Response:
        """An output of a finished job: a workbook the library wrote, or the issues as CSV or JSON."""
        job = self.space.get(request.path_params["job"])
        name = request.path_params["name"]
        if job is None or job.state != "done":
            return self.missing(request)
        lang = _lang(request)
        if name == "issues.csv":
            return Response(view.issues_csv(job, lang), media_type="text/csv; charset=utf-8", headers=_attach(name))
        if name == "issues.json":
            return Response(view.issues_json(job, lang), media_type="application/json", headers=_attach(name))
        if name in DOWNLOADS and name in job.outputs:
            return FileResponse(job.outputs[name], media_type=XLSX, filename=DOWNLOADS[name])
        return self.missing(request)

    async def template(self, request: Request) -> Response:
        """A fill-in template written by the library's template writer."""
        form = await self.small_form(request)
        if form is None:
            return self.problem(request, self.bad_form(), 403)
        from dangvien_data.template.writer import write_template

        kind = form.get("kind", "roster")
        try:
            path = write_template(
                kind,
                self.space.scratch() / f"mau_{kind}.xlsx",
                cell=form.get("cell", "").strip() or None,
                organisation=form.get("organisation", "").strip() or None,
            )
        except DangvienError as exc:
            return self.problem(request, exc)
        return FileResponse(path, media_type=XLSX, filename=path.name)

    async def end(self, request: Request) -> Response:
        """End the session: forget every job and delete every file."""
        if await self.small_form(request) is None:
            return self.problem(request, self.bad_form(), 403)
        self.space.clear()
        return self.page(request, "ended.html")

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.missing(request)

    @staticmethod
    async def server_error(request: Request, exc: Exception) -> Response:
        kind = type(exc).__name__  # never its text: it may quote a cell
        text = translate("internal", "vi", kind=kind) + " / " + translate("internal", "en", kind=kind)
        return HTMLResponse(f"<!doctype html><title>500</title><p>{text}</p>", status_code=500)
