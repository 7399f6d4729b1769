from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.models import Grade

# The first bytes of every .xlsx file: it is a ZIP archive.
ZIP_MAGIC = b"PK\x03\x04"


class WorkbookUploadForm(forms.Form):
    """Upload a cycle workbook (spec/workbook.md) to import it."""

    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the year if it exists"),
        required=False,
        help_text=gettext_lazy(
            "Replaces the year's indicator system and data in one step; the change is audited."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WORKBOOK_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _(
                    "Only Excel workbooks in .xlsx format are accepted (“%(name)s” is not one); "
                    "save it in Excel as “Excel Workbook (*.xlsx)”."
                )
                % {"name": upload.name}
            )
        head = upload.read(len(ZIP_MAGIC))
        upload.seek(0)
        if head != ZIP_MAGIC:
            raise forms.ValidationError(
                _("“%(name)s” is not an .xlsx workbook (the file content is not one).")
                % {"name": upload.name}
            )
        return upload


class GradeOverrideForm(forms.Form):
    """The lead department's override of a computed grade, with its written reason."""

    grade = forms.ChoiceField(label=gettext_lazy("Grade"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required; shown with the grade wherever it appears."),
    )

    def __init__(self, *args, computed_grade: str, **kwargs):
        super().__init__(*args, **kwargs)
        computed = Grade(computed_grade).label
        self.fields["grade"].choices = [
            ("", _("As computed (%(grade)s)") % {"grade": computed}),
            *Grade.choices,
        ]
        self.fields["grade"].required = False
