"""Reports for admins: the dashboard's figures, its charts, CSV exports and the printable report."""

from portal.reports.figures import Dashboard, KeyResult, Ratio
from portal.reports.filters import ReportFilters
from portal.reports.metrics import dashboard, today_in

__all__ = ["Dashboard", "KeyResult", "Ratio", "ReportFilters", "dashboard", "today_in"]
