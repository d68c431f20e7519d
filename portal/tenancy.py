"""Tenant isolation: every ORM read of a tenant-owned record is scoped to one institution.

The scope lives in a context variable. A web request sets it from the signed-in user
(`portal.blueprints.auth` does, right after loading the user); a job or CLI command sets it
from the institution it works for. With no scope set, reading tenant-owned records raises
`TenantScopeMissing` rather than silently returning every institution's rows. Code that must
look across institutions (sign-in by email, health checks, operator commands) says so with
`unscoped()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, false
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from portal.models.base import TenantOwned

ALL_INSTITUTIONS = "all"
NO_INSTITUTION = "none"

_scope: ContextVar[int | str | None] = ContextVar("portal_tenant_scope", default=None)


class TenantScopeMissing(RuntimeError):
    """Raised when tenant-owned records are read before a scope was chosen."""


def current_scope() -> int | str | None:
    """Return the institution id in scope, ALL_INSTITUTIONS, NO_INSTITUTION or None."""
    return _scope.get()


def set_scope(value: int | str | None):
    """Set the scope for the rest of this context; return a token for `reset_scope`."""
    return _scope.set(value)


def reset_scope(token) -> None:
    """Restore the scope that was in force before `set_scope` returned `token`."""
    _scope.reset(token)


@contextmanager
def tenant_scope(institution_id: int | str) -> Iterator[None]:
    """Scope every read inside the block to one institution."""
    token = _scope.set(institution_id)
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """Read across institutions inside the block (sign-in, operator commands)."""
    with tenant_scope(ALL_INSTITUTIONS):
        yield


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    return any(
        isinstance(mapper.class_, type) and issubclass(mapper.class_, TenantOwned)
        for mapper in state.all_mappers
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_to_institution(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria of the statement that loaded the parent already apply
    scope = _scope.get()
    if scope == ALL_INSTITUTIONS:
        return
    if scope is None:
        if _touches_tenant_data(state):
            raise TenantScopeMissing(
                "tenant-owned records were read with no institution in scope; "
                "wrap the code in tenant_scope(...) or unscoped()"
            )
        return
    from portal.models.institution import Institution

    if scope == NO_INSTITUTION:
        state.statement = state.statement.options(
            with_loader_criteria(TenantOwned, lambda cls: false(), include_aliases=True),
            with_loader_criteria(Institution, lambda cls: false(), include_aliases=True),
        )
        return
    institution_id = int(scope)
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned, lambda cls: cls.institution_id == institution_id, include_aliases=True
        ),
        with_loader_criteria(Institution, lambda cls: cls.id == institution_id, include_aliases=True),
    )
