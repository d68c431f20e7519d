"""Flask extensions, created unbound; `create_app` binds them to an app."""

from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from portal.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
# The limiter keeps its storage per instance: one app per process, as gunicorn and RQ run it.
limiter = Limiter(key_func=get_remote_address)
mail = Mail()
