"""Conversations (gesprekken) and the profile captured in each: a dated snapshot, history kept.

One `Conversation` per conversation with one client; one `ProfileSnapshot` per conversation holding
the profile as it stood that day. The parts that analysts aggregate (ZRM scores per domain,
obstacles, practical help, work experience and preferences) are rows of their own; lists nobody
aggregates (skills, diplomas, travel means, licences, languages) are JSON lists of codes or short
texts. Free text (notes, talents, wishes, ambitions, descriptions) is casework content: it never
goes into audit rows, logs, URLs or error messages. See docs/profiles.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel, Versioned
from meedoen.profiles.constants import (
    ConversationPlace,
    EducationLevel,
    HelpCategory,
    LadderRung,
    LanguageLevel,
    ObstacleCategory,
    Severity,
    WorkPreferenceKind,
    WorkReadiness,
    ZrmDomain,
    ZrmScore,
)


class Conversation(Versioned, BaseModel):
    """A conversation with one client: when, where, who took part.

    A conversation with a household member is recorded for that member (it is their profile).
    """

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # led by the (municipality, date) index below
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,  # erasure of a client file (privacy.retention_run) takes these
        related_name="conversations",
        db_index=False,  # led by the (client, date, id) index below
    )
    date = models.DateField(_("datum"))
    place = models.CharField(_("plaats"), max_length=16, choices=ConversationPlace.choices)
    # Other participants by role only (ParticipantRole codes); never names of third parties.
    participants = models.JSONField(_("andere deelnemers"), default=list, blank=True)
    conducted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("gevoerd door"),
    )
    # Kept when the account is removed: who held the conversation is part of the record.
    conducted_by_name = models.CharField(_("gevoerd door"), max_length=150)
    notes = models.TextField(_("verslag"), blank=True)
    # The conversation as an entry of the household's contact log (caseload.ContactMoment), so it
    # counts as contact. Its newest version after a correction of date or place. Empty for
    # conversations loaded in bulk (demo, migration): those have their own contact history.
    contact = models.OneToOneField(
        "caseload.ContactMoment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation",
        verbose_name=_("contactmoment"),
    )

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["-date", "-id"]
        indexes = [
            # A client's conversations in date order, and "the latest per client" (a backward
            # index scan of one client's few rows), at 27,000 clients times several years.
            models.Index(fields=["client", "date", "id"], name="conversation_client_date"),
            # Counts per municipality and period (spoken to, in kaart gebracht).
            models.Index(fields=["municipality", "date"], name="conversation_municipality_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_place_display()} {self.date}"


class ProfileSnapshot(BaseModel):
    """The profile as it stood on the conversation's date. Every conversation has exactly one."""

    conversation = models.OneToOneField(
        "profiles.Conversation", on_delete=models.CASCADE, related_name="profile"
    )
    # Talents, wishes, ambitions: the client's own words, as the coach wrote them down.
    talents = models.TextField(_("talenten"), blank=True)
    skills = models.JSONField(_("vaardigheden"), default=list, blank=True)
    wishes = models.TextField(_("wensen en behoeften"), blank=True)
    ambition_short = models.TextField(_("ambitie korte termijn"), blank=True)
    ambition_long = models.TextField(_("ambitie lange termijn"), blank=True)
    no_obstacles = models.BooleanField(
        _("geen belemmeringen"),
        default=False,
        help_text=_("Besproken, en er zijn geen belemmeringen."),
    )
    ladder_current = models.PositiveSmallIntegerField(
        _("huidige trede"), choices=LadderRung.choices, null=True, blank=True
    )
    ladder_potential = models.PositiveSmallIntegerField(
        _("haalbare trede"), choices=LadderRung.choices, null=True, blank=True
    )
    # Work profile.
    work_readiness = models.CharField(
        _("werkfit"), max_length=20, choices=WorkReadiness.choices, blank=True
    )
    work_readiness_reason = models.TextField(_("toelichting werkfit"), blank=True)
    education_level = models.CharField(
        _("opleidingsniveau"), max_length=24, choices=EducationLevel.choices, blank=True
    )
    diplomas = models.JSONField(_("diploma's en certificaten"), default=list, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    travel_radius_km = models.PositiveSmallIntegerField(
        _("reisafstand (km)"), null=True, blank=True
    )
    travel_means = models.JSONField(_("vervoer"), default=list, blank=True)
    driving_licences = models.JSONField(_("rijbewijzen"), default=list, blank=True)
    dutch_level = models.CharField(
        _("niveau Nederlands"), max_length=12, choices=LanguageLevel.choices, blank=True
    )
    other_languages = models.JSONField(_("andere talen"), default=list, blank=True)
    available_from = models.DateField(_("beschikbaar vanaf"), null=True, blank=True)
    # Derived when written (profiles.measures.profile_completeness), so lists and counts need no
    # child rows: the parts that are filled, their share in percent, and whether all are filled.
    complete_parts = models.JSONField(_("ingevulde onderdelen"), default=list, blank=True)
    completeness = models.PositiveSmallIntegerField(_("volledigheid (%)"), default=0)
    is_complete = models.BooleanField(_("volledig in kaart"), default=False)
    zrm_complete = models.BooleanField(_("ZRM volledig"), default=False)

    class Meta:
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ladder_current__isnull=True) | Q(ladder_current__range=(1, 6)),
                name="profile_ladder_current_range",
            ),
            models.CheckConstraint(
                condition=Q(ladder_potential__isnull=True) | Q(ladder_potential__range=(1, 6)),
                name="profile_ladder_potential_range",
            ),
            models.CheckConstraint(
                condition=Q(completeness__lte=100), name="profile_completeness_percent"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Profiel bij gesprek %(id)s") % {"id": self.conversation_id})


class ZrmAssessment(models.Model):
    """One ZRM domain's score in one snapshot. `score` empty: "unknown" (first conversation)."""

    id = models.BigAutoField(primary_key=True)
    profile = models.ForeignKey(
        "profiles.ProfileSnapshot",
        on_delete=models.CASCADE,
        related_name="zrm_scores",
        db_index=False,  # led by the unique constraint below
    )
    domain = models.CharField(_("leefgebied"), max_length=32, choices=ZrmDomain.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), choices=ZrmScore.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("ZRM-score")
        verbose_name_plural = _("ZRM-scores")
        constraints = [
            models.UniqueConstraint(fields=["profile", "domain"], name="zrm_one_per_domain"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__range=(1, 5)), name="zrm_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score if self.score is not None else '?'}"


class Obstacle(models.Model):
    """An obstacle to participation, with its severity and whether it is being addressed."""

    id = models.BigAutoField(primary_key=True)
    profile = models.ForeignKey(
        "profiles.ProfileSnapshot", on_delete=models.CASCADE, related_name="obstacles"
    )
    category = models.CharField(_("soort"), max_length=32, choices=ObstacleCategory.choices)
    severity = models.PositiveSmallIntegerField(_("ernst"), choices=Severity.choices)
    addressed = models.BooleanField(_("wordt aangepakt"), default=False)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("belemmering")
        verbose_name_plural = _("belemmeringen")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "category"], name="obstacle_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(severity__range=(1, 3)), name="obstacle_severity_range"
            ),
        ]
        # Analysts count obstacles per category (and wijk): a scan of this small index.
        indexes = [models.Index(fields=["category", "severity"], name="obstacle_category")]

    def __str__(self) -> str:
        return f"{self.category} ({self.severity})"


class HelpNeed(models.Model):
    """Practical help needed right now."""

    id = models.BigAutoField(primary_key=True)
    profile = models.ForeignKey(
        "profiles.ProfileSnapshot", on_delete=models.CASCADE, related_name="help_needs"
    )
    category = models.CharField(_("soort hulp"), max_length=32, choices=HelpCategory.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("praktische hulpvraag")
        verbose_name_plural = _("praktische hulpvragen")
        constraints = [
            models.UniqueConstraint(fields=["profile", "category"], name="help_one_per_category")
        ]

    def __str__(self) -> str:
        return self.category


class WorkExperience(models.Model):
    """Work done before, as an ISCO-08 unit group (profiles/isco.py)."""

    id = models.BigAutoField(primary_key=True)
    profile = models.ForeignKey(
        "profiles.ProfileSnapshot", on_delete=models.CASCADE, related_name="work_experience"
    )
    isco_code = models.CharField(_("beroep (ISCO-08)"), max_length=4)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    years = models.PositiveSmallIntegerField(_("jaren"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("laatst in"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("werkervaring")
        verbose_name_plural = _("werkervaring")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.isco_code


class WorkPreference(models.Model):
    """A preferred occupation (ISCO-08 code) or sector (Sector code), in order of preference."""

    id = models.BigAutoField(primary_key=True)
    profile = models.ForeignKey(
        "profiles.ProfileSnapshot",
        on_delete=models.CASCADE,
        related_name="work_preferences",
        db_index=False,  # led by the unique constraint below
    )
    kind = models.CharField(_("soort"), max_length=8, choices=WorkPreferenceKind.choices)
    code = models.CharField(_("code"), max_length=32)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("voorkeur voor werk")
        verbose_name_plural = _("voorkeuren voor werk")
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind", "code"], name="preference_unique")
        ]
        # Matching and work agreements ask "who wants to work in horeca?".
        indexes = [models.Index(fields=["kind", "code"], name="preference_kind_code")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"
