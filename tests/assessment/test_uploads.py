import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from assessment.uploads import private_storage, safe_name, validate_upload

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("整改报告.pdf", PDF, "pdf"),
        ("photo.PNG", PNG, "png"),
        ("说明.docx", _docx(), "docx"),
        ("旧版.doc", OLE, "doc"),
        ("WPS文字.wps", OLE, "doc"),
    ],
)
def test_validate_upload_accepts_by_content(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


def test_validate_upload_refuses_a_program_named_pdf():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert "is not a PDF, an office document or an image" in exc.value.messages[0]


def test_validate_upload_refuses_a_name_that_lies_about_the_content():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("report.pdf", PNG))
    assert exc.value.messages == ["The name of “report.pdf” does not match its content (PNG)."]


def test_validate_upload_refuses_empty_and_too_large(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with translation.override("en"), pytest.raises(ValidationError) as empty:
        validate_upload(SimpleUploadedFile("a.pdf", b""))
    with translation.override("en"), pytest.raises(ValidationError) as large:
        validate_upload(SimpleUploadedFile("a.pdf", PDF))
    assert (empty.value.messages, large.value.messages) == (
        ["The file is empty."],
        ["The file is 35\xa0bytes; the largest accepted is 10\xa0bytes."],
    )


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\整改 方案.pdf", "整改 方案.pdf"),
        ('a<b>:c"|?*.pdf', "abc.pdf"),
        ("bad\x00name\n.pdf", "badname.pdf"),
        ("...", "file"),
    ],
)
def test_safe_name_strips_paths_and_reserved_characters(name, safe):
    assert safe_name(name) == safe


def test_private_storage_is_outside_every_public_url(settings):
    with pytest.raises(ValueError):
        private_storage.url("any.pdf")
    assert not str(private_storage.location).startswith(str(settings.MEDIA_ROOT))
    assert not str(private_storage.location).startswith(str(settings.STATIC_ROOT))
