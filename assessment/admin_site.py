"""The admin site, open to the lead department only.

Staff status alone is not enough: an account of a unit or a county that was made staff by
mistake still cannot open the admin, where every county's data is visible.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class LeadAdminSite(admin.AdminSite):
    site_header = _("Appraisal system administration")
    site_title = _("Appraisal system administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return super().has_permission(request) and getattr(user, "is_lead", False)


class LeadAdminConfig(AdminConfig):
    default_site = "assessment.admin_site.LeadAdminSite"
