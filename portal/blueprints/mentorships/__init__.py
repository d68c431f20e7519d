"""Mentorships over their life: admins list, filter and pair by hand; participants and admins end one
and read its history."""

from flask import Blueprint

bp = Blueprint("mentorships", __name__)

from portal.blueprints.mentorships import admin, lifecycle  # noqa: E402,F401

