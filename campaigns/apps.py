from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Themed campaigns (主题活动 such as 创先争优) with their phases and carriers."""

    name = "campaigns"
    verbose_name = _("Campaigns")
