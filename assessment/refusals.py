"""The one base of every refusal of a service.

A service that will not do what it was asked raises a :class:`Refused` (or a subclass that
carries more: the lock, the problems, the empty cells); ``str(exc)`` is the message a view
shows, ``exc.messages`` each problem. Views catch ``Refused`` once instead of a list of
exceptions, and a service lets a lower refusal (an archived year's) pass through as it is.
"""


class Refused(Exception):
    """A service refused; the message says why, in the user's language."""

    def __init__(self, *messages: str):
        self.messages = [str(message) for message in messages]
        super().__init__(" ".join(self.messages))
