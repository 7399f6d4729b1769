import copy
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessment.spreadsheets import SpreadsheetRefused, SpreadsheetUnreadable, check_workbook
from indicators.params import plain
from scoring.models import Grade
from scoring.values import value_messages

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
            "Replaces the year's indicator system and data in one step, keeping the records "
            "that hang on the year; the change is audited."
        ),
    )
    discard = forms.BooleanField(
        label=gettext_lazy("Replace even if records not in the workbook are deleted"),
        required=False,
        help_text=gettext_lazy(
            "Without this, a replace that would delete records (warnings, objections, evidence "
            "or entry history of an indicator the workbook drops) is refused and lists them."
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
        try:  # before anything parses it, here or in a job: its sizes and dimensions
            check_workbook(upload)
        except SpreadsheetUnreadable:
            pass  # the reader lists it with the workbook's problems
        except SpreadsheetRefused as exc:
            raise forms.ValidationError(
                _("“%(name)s”: %(reason)s") % {"name": upload.name, "reason": exc}
            ) from None
        return upload


class ReplaceConfirmForm(forms.Form):
    """Confirm the replace a large upload's job previewed (its job page)."""

    discard = forms.BooleanField(
        label=gettext_lazy("Also delete the records listed above"),
        required=False,
        help_text=gettext_lazy(
            "Without this, a replace that would delete them is refused and nothing changes."
        ),
    )


class GradeOverrideForm(forms.Form):
    """The lead department's override of a computed grade, with its written reason."""

    grade = forms.ChoiceField(label=gettext_lazy("Grade"))
    reason = forms.CharField(
        label=pgettext_lazy("justification", "Reason"),
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


# --- entry -------------------------------------------------------------------------------

# Spreadsheets copy numbers with thousands separators, full-width digits or a percent sign.
_CELL_TEXT = str.maketrans(
    {**{chr(0xFF10 + n): str(n) for n in range(10)}, "．": ".", "－": "-", "，": "", ",": ""}
)


class CellField(forms.DecimalField):
    """A number of the grid as people paste it: ``1,234.5``, ``１２.５``, ``12.5%``, ``−1.5``."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(_CELL_TEXT).replace("−", "-").strip().removesuffix("%")
        return super().to_python(value)


def cell_name(county_id: int, key: str) -> str:
    return f"c{county_id}-{key}"


class EntryGridForm(forms.Form):
    """The cells of one entry grid (counties × columns), with the values they were loaded
    with (``loaded``, JSON) so that a stale save is recognised. Exempt counties get no cell.
    """

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.cells = {}  # field name → (county id, column key)
        # One field made, copied for every cell: a province's grid has thousands of cells.
        # The page renders the cells from plain values (scoring.entry.views.grid), not widgets.
        prototype = CellField(required=False, max_digits=24, decimal_places=6)
        for county in grid.counties:
            if county.id in grid.exempt:
                continue
            for column in grid.columns:
                name = cell_name(county.id, column.key)
                self.cells[name] = (county.id, column.key)
                field = copy.copy(prototype)
                field.initial = grid.values.get((county.id, column.key))
                self.fields[name] = field
        if not self.is_bound:
            self.fields["loaded"].initial = json.dumps(
                {name: _plain(grid.values.get(cell)) for name, cell in self.cells.items()}
            )

    def loaded_values(self) -> dict:
        """(county id, key) → the value each cell had when the page was loaded."""
        try:
            raw = json.loads(self.data.get("loaded") or "{}")
        except ValueError:
            raw = {}
        values = {}
        for name, cell in self.cells.items():
            text = raw.get(name) if isinstance(raw, dict) else None
            try:
                values[cell] = Decimal(text) if text not in (None, "") else None
            except (InvalidOperation, TypeError):
                values[cell] = None
        return values

    def values(self) -> dict:
        return {cell: self.cleaned_data.get(name) for name, cell in self.cells.items()}

    def clean(self):
        cleaned = super().clean()
        grid = self.grid
        for county in grid.counties:
            if county.id in grid.exempt:
                continue
            if not grid.annual:
                name = cell_name(county.id, "p")
                value = cleaned.get(name)
                if value is not None and value < 0:
                    self.add_error(name, _("Progress must not be negative."))
                continue
            for item in grid.items:
                actual = cleaned.get(cell_name(county.id, f"a{item.id}"))
                target = cleaned.get(cell_name(county.id, f"t{item.id}"))
                for field_name, message in value_messages(item.method, actual, target).items():
                    name = cell_name(county.id, f"{field_name[0]}{item.id}")
                    if name in self.fields:
                        self.add_error(name, message)
        return cleaned

    def refresh_after(self, stale) -> None:
        """After a refused stale save (``stale``: the StaleSave): cells the user did not
        change show their current value; the conflicting ones keep what the user typed, now
        based on the current value, so that saving again is a deliberate overwrite."""
        data = self.data.copy()
        loaded = self.loaded_values()
        current = stale.grid.values
        based = {}
        for name, cell in self.cells.items():
            typed = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if typed == loaded[cell]:
                data[name] = _plain(current.get(cell))
            based[name] = _plain(current.get(cell))
        data["loaded"] = json.dumps(based)
        self.data = data


def _plain(value) -> str:
    return "" if value is None else plain(value)


class BulkApproveForm(forms.Form):
    """The submitted entries of a round to approve in one step (all ticked at first)."""

    indicators = forms.MultipleChoiceField(
        label=gettext_lazy("Entries to approve"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one entry to approve.")},
    )

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [
            (s.indicator.code, f"{s.indicator.code} {s.indicator.name}（{s.indicator.unit.name}）")
            for s in states
        ]
        self.fields["indicators"].initial = [s.indicator.code for s in states]


class EvidenceForm(forms.Form):
    """A county's upload: the indicator it supports and the file, checked by its content."""

    indicator = forms.ModelChoiceField(label=gettext_lazy("Indicator"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word/Excel/PowerPoint or WPS documents, or images."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        from indicators.models import Indicator

        self.fields["indicator"].queryset = Indicator.objects.filter(cycle=cycle).order_by(
            "order", "code"
        )

    def clean_file(self):
        from assessment.uploads import validate_upload

        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload)
        return upload
