"""Password validators of the project (``AUTH_PASSWORD_VALIDATORS``)."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, whose refusal reads in Chinese: Django 5.2's message changed
    its placeholder (``%d``) and lost its Chinese translation, so a Chinese page said it in
    English; this one is the catalogued wording."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
