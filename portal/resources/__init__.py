"""Resources: handbooks, guides, first-meeting questions and agendas admins publish in Markdown.

Plain functions that take ids and data, flush, and raise `ResourceError`; the caller commits.
"""


class ResourceError(Exception):
    """A change to a resource that cannot be made; the message is for the admin."""
