"""Importing a values file in the admin: upload, preview, confirm.

The upload is checked and compared with the stored values by the same service as the
import_values command, in a dry run; the preview lists new, changed (old → new) and
unchanged rows and every problem by row and column. Confirming imports the same file,
whole or not at all. Between the two steps the file waits in a private temporary folder
under a random token that only the uploader's session knows; a stale file is removed by the
next upload. Only the statistics bureau (reviewers and administrators) imports.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.access import is_bureau
from districts.importing.report import ImportReport, ImportResult
from districts.importing.tables import SPREADSHEET_EXTENSIONS
from districts.models import Value, ValueStatus
from districts.services.imports import IMPORT_RETURN_STATUSES, values_import

logger = logging.getLogger(__name__)

UPLOAD_TEMPLATE = "admin/districts/value/import.html"
PREVIEW_TEMPLATE = "admin/districts/value/import_preview.html"
# About 400,000 rows of CSV: more than a period's figures, small enough to preview at once.
UPLOAD_LIMIT = 20 * 1024 * 1024
# Rows of each kind the preview lists; the counts cover every row.
PREVIEW_ROWS = 200
SESSION_KEY = "districts_value_imports"
# An upload nobody confirmed or cancelled is removed after this many seconds.
STALE_AFTER = 6 * 3600
ACCEPTED_EXTENSIONS = {".csv", ".txt", *SPREADSHEET_EXTENSIONS}


class ValueImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or GBK) or XLSX (the first sheet, header in row 1) with the columns "
            "district, indicator, period, value and, if wanted, target and note."
        ),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status of the imported values"),
        choices=[(status, ValueStatus(status).label) for status in IMPORT_RETURN_STATUSES],
        initial=ValueStatus.APPROVED,
        help_text=gettext_lazy("Their returns get the same status."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED_EXTENSIONS:
            raise forms.ValidationError(
                _("Only CSV and XLSX files are imported; save the file as .csv or .xlsx.")
            )
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(
                _("The file is %(size)s; files of at most %(limit)s are imported here.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(UPLOAD_LIMIT)}
            )
        return upload


def value_import_view(request: HttpRequest, model_admin) -> HttpResponse:
    if not is_bureau(request.user):
        raise PermissionDenied(_("Only the statistics bureau imports values."))
    if request.method == "POST" and "token" in request.POST:
        if "cancel" in request.POST:
            _forget(request, request.POST["token"])
            messages.info(request, _("The import was cancelled; nothing was imported."))
            return HttpResponseRedirect(request.path)
        return _confirm(request, model_admin, request.POST["token"])
    if request.method == "POST":
        form = ValueImportForm(request.POST, request.FILES)
        if form.is_valid():
            return _preview(request, model_admin, form)
    else:
        form = ValueImportForm()
    return _render(request, model_admin, UPLOAD_TEMPLATE, {"form": form})


def _preview(request: HttpRequest, model_admin, form: ValueImportForm) -> HttpResponse:
    upload, status = form.cleaned_data["file"], form.cleaned_data["status"]
    token = secrets.token_urlsafe(24)
    path = _kept_path(token, Path(upload.name).suffix.lower())
    with path.open("wb") as kept:
        for chunk in upload.chunks():
            kept.write(chunk)
    result = _import(request, path, upload.name, status, dry_run=True)
    if not result.ok:
        path.unlink(missing_ok=True)
        return _render_preview(request, model_admin, result, form=ValueImportForm())
    waiting = request.session.setdefault(SESSION_KEY, {})
    waiting[token] = {"name": upload.name, "suffix": path.suffix, "status": status}
    request.session.modified = True
    return _render_preview(request, model_admin, result, token=token)


def _confirm(request: HttpRequest, model_admin, token: str) -> HttpResponse:
    waiting = request.session.get(SESSION_KEY, {})
    upload = waiting.pop(token, None)
    request.session.modified = True
    path = _kept_path(token, upload["suffix"]) if upload else None
    if path is None or not path.is_file():
        messages.error(
            request,
            _("This preview has expired or was already imported; upload the file again."),
        )
        return HttpResponseRedirect(request.path)
    try:
        result = _import(request, path, upload["name"], upload["status"], dry_run=False)
    finally:
        path.unlink(missing_ok=True)
    if not result.ok:
        return _render_preview(request, model_admin, result, form=ValueImportForm())
    messages.success(
        request,
        _("Imported %(name)s: %(created)d created, %(updated)d changed, %(unchanged)d unchanged.")
        % {
            "name": upload["name"],
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return HttpResponseRedirect(reverse("admin:districts_value_changelist"))


def _import(request, path: Path, name: str, status: str, *, dry_run: bool) -> ImportResult:
    try:
        return values_import(
            path=path,
            name=name,
            user=request.user,
            status=status,
            dry_run=dry_run,
            list_limit=PREVIEW_ROWS,
            preview_limit=PREVIEW_ROWS,
        )
    except PermissionDenied:
        raise
    except Exception:
        # A file must never cost a server error; the log keeps what went wrong for us.
        logger.exception("importing %s failed", name)
        report = ImportReport()
        report.add(1, "cannot be read; save it again as .xlsx or as CSV UTF-8 and try again")
        return ImportResult.rejected(report)


def _forget(request: HttpRequest, token: str) -> None:
    upload = request.session.get(SESSION_KEY, {}).pop(token, None)
    request.session.modified = True
    if upload:
        _kept_path(token, upload["suffix"]).unlink(missing_ok=True)


def _uploads_folder() -> Path:
    root = Path(settings.MEDIA_ROOT) / "tmp" if settings.MEDIA_ROOT else None
    folder = (root or Path(tempfile.gettempdir())) / "saima-value-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _kept_path(token: str, suffix: str) -> Path:
    """Where an upload waits; ``token`` and ``suffix`` come from this server, never a form."""
    folder = _uploads_folder()
    _remove_stale(folder)
    return folder / f"{token}{suffix}"


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - STALE_AFTER
    for kept in folder.iterdir():
        try:
            if kept.stat().st_mtime < cutoff:
                kept.unlink()
        except OSError:
            continue  # removed meanwhile by another request


def _render_preview(
    request: HttpRequest,
    model_admin,
    result: ImportResult,
    *,
    token: str | None = None,
    form: ValueImportForm | None = None,
) -> HttpResponse:
    created = [change for change in result.changes if change.action == "create"]
    updated = [change for change in result.changes if change.action == "update"]
    context = {
        "result": result,
        "token": token,
        "form": form,
        "source_line": _source_line(result),
        "rounding_line": _rounding_line(result),
        "status_label": ValueStatus(result.status).label if result.status else "",
        "created_rows": created,
        "updated_rows": updated,
        "unchanged_rows": result.unchanged_rows,
        "created_not_shown": result.created - len(created),
        "updated_not_shown": result.updated - len(updated),
        "unchanged_not_shown": result.unchanged - len(result.unchanged_rows),
        "problems_not_shown": result.problem_count - len(result.problems),
    }
    return _render(request, model_admin, PREVIEW_TEMPLATE, context)


def _source_line(result: ImportResult) -> str:
    source = result.source
    if source is None:
        return ""
    how = source.format if source.encoding is None else f"{source.format}, {source.encoding}"
    return ngettext(
        "%(name)s was read as %(how)s: %(rows)d row.",
        "%(name)s was read as %(how)s: %(rows)d rows.",
        source.rows,
    ) % {"name": source.name, "how": how, "rows": source.rows}


def _rounding_line(result: ImportResult) -> str:
    if not result.rounded:
        return ""
    return ngettext(
        "%(count)d value had more than 10 decimals and was rounded, e.g. %(example)s.",
        "%(count)d values had more than 10 decimals and were rounded, e.g. %(example)s.",
        result.rounded,
    ) % {"count": result.rounded, "example": result.rounded_example}


def _render(request: HttpRequest, model_admin, template: str, context: dict) -> HttpResponse:
    return render(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": Value._meta,
            "title": _("Import a file"),
            "upload_limit": UPLOAD_LIMIT,
            **context,
        },
    )
