"""Private uploaded files: evidence materials, rectification reports, attachments.

Every app that accepts a file from a user goes through here, so that the same rules hold
everywhere:

- the type is checked by the file's content (its magic bytes, read by ``filetype``), not only
  by its name, and the name's extension must agree with the content;
- the size is limited by ``settings.UPLOAD_MAX_BYTES``;
- the name is sanitized (path parts, control characters and reserved characters removed;
  Chinese kept);
- files are stored under ``settings.PRIVATE_MEDIA_ROOT``, outside every public URL space, and
  reach a browser only through a view that checks the role first and answers with
  :func:`file_response`.
"""

import unicodedata
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _

from assessment.spreadsheets import SpreadsheetRefused, check_workbook

# Accepted kinds: the content's type (as filetype names it) → the extensions a name may have.
# The office formats of Microsoft Office and WPS Office: OLE (.doc/.xls/.ppt and WPS's own
# .wps/.et/.dps) and Office Open XML; images; PDF.
ACCEPTED = {
    "pdf": {"pdf"},
    "doc": {"doc", "wps", "xls", "et", "ppt", "dps"},  # any OLE compound document
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
    "gif": {"gif"},
    "webp": {"webp"},
}
# filetype names OLE compound documents "doc", "xls" or "ppt" only when it recognises their
# first sector; they are one container (WPS's .wps/.et/.dps too), so treat them alike.
_ALIASES = {"xls": "doc", "ppt": "doc"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED_EXTENSIONS = sorted({ext for exts in ACCEPTED.values() for ext in exts})
# Characters Windows, macOS and Linux refuse in a file name, and the path separators.
_RESERVED = set('<>:"/\\|?*')
MAX_NAME = 120


class _NoURLStorage(FileSystemStorage):
    """A file system storage whose files have no URL: a view that checks access sends them."""

    def url(self, name):
        raise ValueError("private files have no URL; serve them with file_response()")


class PrivateStorage(LazyObject):
    """The storage of private files, created when first used (settings may change in tests):
    the ``STORAGES["private"]`` backend when one is configured (object storage for instances
    on several machines, ``S3_ENDPOINT_URL``), otherwise ``PRIVATE_MEDIA_ROOT``. The code
    only opens, saves and deletes through it: no file path is assumed."""

    def _setup(self):
        configured = settings.STORAGES.get("private")
        if configured:
            self._wrapped = storages.create_storage(configured)
            return
        # Readable by the server's user only, whatever its umask.
        self._wrapped = _NoURLStorage(
            location=settings.PRIVATE_MEDIA_ROOT,
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )


private_storage = PrivateStorage()


def private_file_storage():
    """The private storage, for ``FileField(storage=private_file_storage)``: a callable keeps
    the storage (and its location, a setting) out of the migrations."""
    return private_storage


def safe_name(name: str) -> str:
    """``name`` without directories, control or reserved characters; never empty."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(
        ch
        for ch in unicodedata.normalize("NFC", base)
        if ch not in _RESERVED and unicodedata.category(ch)[0] != "C"
    ).strip(" .")
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot else cleaned[:MAX_NAME]
    return cleaned or "file"


def validate_upload(upload) -> str:
    """Check an uploaded file; return its content kind (a key of :data:`ACCEPTED`).

    Raises ``ValidationError`` with a message in the user's language when the file is empty,
    too large, of a kind not accepted, or named as another kind than its content.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    kind = _ALIASES.get(guess.extension, guess.extension) if guess else None
    if kind is None and head.startswith(_OLE):
        kind = "doc"
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    if kind not in ACCEPTED:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, an office document or an image (its content is "
                "checked, not only its name). Accepted: %(accepted)s."
            )
            % {"name": safe_name(upload.name), "accepted": ", ".join(ACCEPTED_EXTENSIONS)}
        )
    if extension not in ACCEPTED[kind]:
        raise ValidationError(
            _("The name of “%(name)s” does not match its content (%(kind)s).")
            % {"name": safe_name(upload.name), "kind": kind.upper()}
        )
    if kind == "xlsx":
        # Stored, not parsed here; but whoever opens it later must not meet a bomb.
        try:
            check_workbook(upload)
        except SpreadsheetRefused as exc:
            raise ValidationError(
                _("“%(name)s”: %(reason)s") % {"name": safe_name(upload.name), "reason": exc}
            ) from None
    return kind


class LimitedUploadHandler(FileUploadHandler):
    """The first upload handler: stops a request body past ``REQUEST_BODY_MAX_BYTES`` as it
    streams in, before the next handlers keep it in memory or on disk.

    The middleware (``assessment.middleware.BodyLimitMiddleware``) answers a declared
    Content-Length over the limit before any of the body is read; this counts what actually
    arrives, and refuses (400, Django's ``RequestDataTooBig``) as soon as it passes the limit.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length > settings.REQUEST_BODY_MAX_BYTES:
            raise RequestDataTooBig("request body over REQUEST_BODY_MAX_BYTES")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.REQUEST_BODY_MAX_BYTES:
            raise RequestDataTooBig("upload over REQUEST_BODY_MAX_BYTES")
        return raw_data

    def file_complete(self, file_size):
        return None


def file_response(field_file, name: str) -> FileResponse:
    """Send a private file as a download named ``name``; call only after checking access."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=safe_name(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
