"""A real SMTP server (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

import email
import email.policy
import time

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self, messages: list):
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpSink:
    """Receives mail on 127.0.0.1:`port`; `messages` holds parsed email.message objects."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list = []
        self._controller = Controller(_Keep(self.messages), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list:
        """Return the messages once at least `count` have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)

    @staticmethod
    def text_of(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html_of(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()
