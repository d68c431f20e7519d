"""Accounts: passwords, signed-in sessions, one-time links and account status.

Plain functions that take ids and data, flush, and raise `AccountError`; the caller commits.
"""


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""
