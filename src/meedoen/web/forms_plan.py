"""Forms of the household plan (docs/plans.md): a goal, a change of a goal, a step, the status of
a step, a review with an outcome per running goal, and the review interval.

Like the household forms (web/forms_household.py), they parse what was typed and say in Dutch what
and where; whether the values make sense is the service's check (plans/services.py), shared with
the API, and its messages come back beside the fields they name. Every form that changes what is
already there carries the plan's version: the whole plan is one unit for concurrent edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from meedoen.plans.constants import (
    REVIEW_RESULTS,
    AuthorKind,
    GoalStatus,
    OwnerKind,
    StepStatus,
)
from meedoen.plans.inputs import GoalInput, GoalUpdate, OutcomeInput, ReviewInput, StepInput
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain
from meedoen.web.forms_household import (
    _choice,
    _date,
    _label_message,
    _ServiceErrorsMixin,
    _text,
    _version,
    member_choices,
)


def _by_client(label: Any) -> forms.BooleanField:
    # The figure for client ownership counts what the client thought of: the coach may write
    # it down for them.
    return forms.BooleanField(label=label, required=False)


class _GoalFields(_ServiceErrorsMixin):
    domain = _choice(_("Leefgebied"), ZrmDomain.choices, widget=forms.Select)
    what = _text(
        _("Wat wil diegene bereiken"),
        required=True,
        rows=3,
        help_text=_("Concreet en haalbaar, bijvoorbeeld: twee keer per week naar de taalcursus."),
    )
    due_on = _date(_("Wanneer bereikt"))
    obstacle = _choice(
        _("Belemmering die dit doel aanpakt"),
        [("", _("Geen")), *ObstacleCategory.choices],
        widget=forms.Select,
        required=False,
    )
    ambition = _text(
        _("Ambitie waar dit doel bij hoort"),
        rows=2,
        help_text=_("In de woorden van de cliënt, uit het gesprek of het profiel."),
    )


class GoalForm(_GoalFields):
    """A new goal for one member of the household."""

    member = _choice(_("Voor wie"), [], widget=forms.Select)
    by_client = _by_client(_("De cliënt heeft dit doel zelf bedacht"))

    field_order = ["member", "domain", "what", "due_on", "obstacle", "ambition", "by_client"]

    def __init__(self, *args: Any, members: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ChoiceField)
        member.choices = member_choices(members)

    def to_input(self) -> GoalInput:
        data = self.cleaned_data
        return GoalInput(
            member_id=data["member"],
            domain=data["domain"],
            what=data["what"],
            due_on=data["due_on"],
            obstacle=data["obstacle"],
            ambition=data["ambition"],
            author_kind=AuthorKind.CLIENT if data["by_client"] else AuthorKind.COACH,
        )


class GoalEditForm(_GoalFields):
    """All editable fields of a goal, with the plan version the page showed."""

    version = _version()
    status = _choice(
        _("Stand"),
        GoalStatus.choices,
        help_text=_("Vervallen: het doel wordt niet meer nagestreefd en komt niet meer terug."),
    )

    def to_update(self) -> GoalUpdate:
        data = self.cleaned_data
        return GoalUpdate(
            domain=data["domain"],
            what=data["what"],
            due_on=data["due_on"],
            status=data["status"],
            obstacle=data["obstacle"],
            ambition=data["ambition"],
        )


def goal_initial(goal: Any, version: int) -> dict[str, Any]:
    return {
        "version": version,
        "domain": goal.domain,
        "what": goal.what,
        "due_on": goal.due_on,
        "status": goal.status,
        "obstacle": goal.obstacle,
        "ambition": goal.ambition,
    }


class StepForm(_ServiceErrorsMixin):
    description = _text(
        _("Stap"),
        required=True,
        rows=2,
        help_text=_("Klein en concreet, bijvoorbeeld: cv maken met de klantregisseur."),
    )
    owner_kind = _choice(_("Wie doet het"), OwnerKind.choices)
    organisation = _choice(
        _("Partnerorganisatie"),
        [],
        widget=forms.Select,
        required=False,
        help_text=_("Alleen als een partnerorganisatie de stap zet."),
    )
    due_on = _date(_("Wanneer klaar"))
    enrolment = _choice(
        _("Deelname aan een instrument"),
        [],
        widget=forms.Select,
        required=False,
        help_text=_("Alleen als de stap over een lopende deelname van deze persoon gaat."),
    )
    by_client = _by_client(_("De cliënt heeft deze stap zelf bedacht"))

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Any] = (),
        enrolments: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [("", _("Geen")), *((str(o.pk), o.name) for o in organisations)]
        enrolment = self.fields["enrolment"]
        assert isinstance(enrolment, forms.ChoiceField)
        enrolment.choices = [
            ("", _("Geen")),
            *(
                (str(e.pk), f"{e.instrument.name} ({e.get_status_display().lower()})")
                for e in enrolments
            ),
        ]

    def to_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            description=data["description"],
            owner_kind=data["owner_kind"],
            due_on=data["due_on"],
            organisation_id=data["organisation"] or None,
            author_kind=AuthorKind.CLIENT if data["by_client"] else AuthorKind.COACH,
            enrolment_id=data["enrolment"] or None,
        )


# The buttons of one step: (new status, button text). A done or cancelled step can be reopened.
STEP_BUTTONS: dict[str, list[tuple[str, Any]]] = {
    StepStatus.OPEN: [(StepStatus.DONE, _("Gedaan")), (StepStatus.CANCELLED, _("Vervalt"))],
    StepStatus.DONE: [(StepStatus.OPEN, _("Heropenen"))],
    StepStatus.CANCELLED: [(StepStatus.OPEN, _("Heropenen"))],
}


class StepStatusForm(_ServiceErrorsMixin):
    """One button of a step: the new status and the plan version the page showed."""

    version = _version()
    status = _choice(_("Status"), StepStatus.choices, widget=forms.HiddenInput)


class ReviewForm(_ServiceErrorsMixin):
    """An evaluatiemoment: the date, a general note, and per running goal an outcome and a note.

    The per-goal fields are named `result_<goal id>` and `note_<goal id>`; `rows` pairs them
    with their goal for the template.
    """

    version = _version()
    held_on = _date(_("Datum van de evaluatie"))
    note = _text(_("Algemene toelichting"), rows=3)

    def __init__(self, *args: Any, goals: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        results = [(r, GoalStatus(r).label) for r in REVIEW_RESULTS]
        self.goals = list(goals)
        for goal in self.goals:
            # The goal in the label, so the error summary says which goal lacks an outcome.
            label = _("Uitkomst voor %(name)s: %(what)s") % {
                "name": goal.member.full_name,
                "what": Truncator(goal.what).chars(80),
            }
            self.fields[f"result_{goal.pk}"] = _choice(label, results)
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=_("Toelichting bij dit doel"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(g, self[f"result_{g.pk}"], self[f"note_{g.pk}"]) for g in self.goals]

    def to_input(self) -> ReviewInput:
        data = self.cleaned_data
        return ReviewInput(
            held_on=data["held_on"],
            note=data["note"],
            outcomes=[
                OutcomeInput(
                    goal_id=goal.pk,
                    result=data[f"result_{goal.pk}"],
                    note=data[f"note_{goal.pk}"],
                )
                for goal in self.goals
            ],
        )


class ReviewIntervalForm(_ServiceErrorsMixin):
    version = _version()
    review_interval_months = forms.IntegerField(
        label=_("Evaluatie elke (maanden)"),
        help_text=_("Van 1 tot en met 12 maanden."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _label_message(_("Evaluatie elke (maanden)"), _("vul een getal in.")),
            "invalid": _label_message(_("Evaluatie elke (maanden)"), _("vul een heel getal in.")),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Unique ids: other forms on the plan page have a version field too.
        self.auto_id = "termijn_%s"


class AgreementSignedForm(_ServiceErrorsMixin):
    """The day the client signed the printed agreement."""

    signed_on = _date(_("Ondertekend op"))
