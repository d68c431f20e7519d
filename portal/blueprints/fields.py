"""Form fields more than one feature uses, with parse errors a person understands."""

from __future__ import annotations

from wtforms import DateField


class DayField(DateField):
    """A date input whose parse error a person understands."""

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            # DateField has already set `data` to None.
            raise ValueError("Enter a date like 2026-09-01.") from None
