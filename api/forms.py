from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import User


class TokenForm(forms.Form):
    """Issue a token to one active account."""

    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.filter(is_active=True).select_related("unit", "county"),
        help_text=_("The token acts with this account's role: what it may read and write."),
    )
    name = forms.CharField(
        label=_("Purpose"),
        max_length=100,
        help_text=_("For example: the statistics bureau's data system."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = self.fields["user"].queryset.order_by("role", "username")
        self.fields["user"].label_from_instance = _account_label


def _account_label(user: User) -> str:
    where = user.unit or user.county
    return f"{user.username} · {user.get_role_display()}" + (f" · {where.name}" if where else "")
