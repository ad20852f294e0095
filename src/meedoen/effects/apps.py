from django.apps import AppConfig


class EffectsConfig(AppConfig):
    """The effect estimators: plain numpy and scikit-learn, no models. An app only so that
    `meedoen effect` (management command) is found."""

    name = "meedoen.effects"
    label = "effects"
