"""Two transactions at once, for the tests of what the database must decide (they need PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import nullcontext

from portal.extensions import db
from portal.tenancy import tenant_scope


def while_open(app, second: Callable, *, institution_id: int | None = None, expect=()):
    """Run `second` in another thread while this thread's transaction stays open, then commit this one.

    Return what `second` returned (committed), or the `expect`ed error it raised (rolled back).
    """
    outcome = {}

    def run():
        with app.app_context(), tenant_scope(institution_id) if institution_id else nullcontext():
            try:
                outcome["value"] = second()
                db.session.commit()
            except expect as error:
                db.session.rollback()
                outcome["value"] = error
            except Exception as error:  # raised again in the test's own thread
                db.session.rollback()
                outcome["crash"] = error

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)  # the second transaction now waits on the locks or index entries of this one
    db.session.commit()
    thread.join(10)
    if "crash" in outcome:
        raise outcome["crash"]
    return outcome["value"]
