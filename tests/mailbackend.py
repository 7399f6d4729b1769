"""An email backend for the worker tests: Django's file backend, which stops for a long time
right after it wrote a message to the address ``MAIL_BLOCK_ON`` — as a worker that the mail
server answered and that dies before it records the email — and says so by writing the file
``MAIL_BLOCK_MARKER``."""

import os
import time
from pathlib import Path

from django.core.mail.backends import filebased


class BlockingFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        blocked = os.environ.get("MAIL_BLOCK_ON")
        if blocked and any(blocked in message.to for message in email_messages):
            Path(os.environ["MAIL_BLOCK_MARKER"]).write_text("sent")
            time.sleep(300)
        return sent
