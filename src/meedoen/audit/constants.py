from django.db import models
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    ALLOWED = "allowed", _("toegestaan")
    DENIED = "denied", _("geweigerd")
