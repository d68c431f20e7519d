"""Messages and shared notes: what the two sides of a mentorship write to each other.

Plain functions that take ids and data, flush, and raise `MessagingError` with a sentence for
the person; the caller commits. `portal.messaging.threads` sends and reads messages and keeps
read marks, `portal.messaging.unread_mail` mails people about messages left unread for an
hour, `portal.messaging.notes` keeps the pair's shared notes.
"""


class MessagingError(Exception):
    """A message or note that cannot be written as asked; the message is for the person."""
