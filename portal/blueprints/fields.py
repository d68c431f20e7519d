"""Form fields more than one feature uses, with parse errors a person understands."""

from __future__ import annotations

from wtforms import DateField, IntegerField
from wtforms.validators import StopValidation


class _ParseErrorSaysItAll:
    """A field whose input could not be read shows that one error, not the validators' about the empty
    value it was read as ("Enter a year between ..." after "Enter a year as four digits")."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class DayField(_ParseErrorSaysItAll, DateField):
    """A date input: blank reads as empty (its validators decide); a value it cannot read gets
    `unreadable` as its error."""

    def __init__(self, *args, unreadable: str = "Enter a date like 2026-09-01.", **kwargs):
        super().__init__(*args, **kwargs)
        self.unreadable = unreadable

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            # DateField has already set `data` to None.
            raise ValueError(self.unreadable) from None


class WholeNumberField(_ParseErrorSaysItAll, IntegerField):
    """A whole-number input: blank reads as empty (its validators decide); a value it cannot read gets
    `unreadable` as its error, or with `unreadable=None` reads as empty too (a page number in a
    link is never an error)."""

    def __init__(self, *args, unreadable: str | None = "Enter a whole number, e.g. 2.", **kwargs):
        super().__init__(*args, **kwargs)
        self.unreadable = unreadable

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        try:
            self.data = int(text) if text else None
        except ValueError:
            self.data = None
            if self.unreadable:
                raise ValueError(self.unreadable) from None
