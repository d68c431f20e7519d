"""Profiles: what people tell their program about themselves, their tags, and how complete it is.

Plain functions that take the user and data, flush, and raise `ProfileError`; the caller commits.
"""


class ProfileError(Exception):
    """A profile change that cannot be saved; the message is for the person."""
