"""CSV files for the import tests (small; big ones are generated in code), and helpers to upload them."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import PeopleImport, User
from portal.tenancy import unscoped

DATA = Path(__file__).parent


def read(name: str) -> bytes:
    """Return the bytes of a file in tests/data."""
    return (DATA / name).read_bytes()


def upload(client, content: bytes | str, filename: str = "people.csv", program_id: int = 0):
    """Post a file to the upload form as a browser would."""
    data = content.encode() if isinstance(content, str) else content
    return client.post("/admin/import", data={"file": (io.BytesIO(data), filename), "program_id": str(program_id)},
                       content_type="multipart/form-data")


def uploaded_import_id(response) -> int:
    """Return the id of the import an upload redirected to."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def page_text(client, path: str, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.get_data(as_text=True)


def count(app, model=User, *where) -> int:
    """Count records across every institution."""
    with app.app_context(), unscoped():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def load_import(app, import_id: int) -> dict:
    """Return an import's state as plain data."""
    with app.app_context(), unscoped():
        record = db.session.get(PeopleImport, import_id)
        return {"status": record.status.value, "progress": record.progress, "phase": record.phase,
                "counts": dict(record.counts), "errors": list(record.errors), "content": record.content,
                "error_message": record.error_message}
