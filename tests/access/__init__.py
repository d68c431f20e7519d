"""Access rules per feature, collected by tests/test_access_matrix.py.

Each module here declares `RULES: dict[endpoint, Rule]` and, when its paths name records,
`make_targets(institution) -> dict[str, int]`, which creates those records in the first
institution (called inside an app context, unscoped) and returns their ids by placeholder.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

ROLES = ("anonymous", "student", "mentor", "other_admin", "admin")
SIGN_IN = "sign-in"  # a redirect to the sign-in page, or 401 + HX-Redirect for htmx


@dataclass
class Rule:
    method: str
    path: str  # may name {placeholders} filled from the module's make_targets
    expect: dict[str, int | str]
    htmx_expect: dict[str, int | str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)  # form data for POSTs, when a valid form matters


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def signed_in(status: int) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, **{role: status for role in ROLES[1:]}}


def admins(own: int, other: int, others_forbidden: int = 403) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, "student": others_forbidden, "mentor": others_forbidden,
            "other_admin": other, "admin": own}


def all_modules():
    """Return every rules module in this package."""
    return [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
