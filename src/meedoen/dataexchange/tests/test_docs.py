"""The documentation of the file format keeps up with the code."""

from __future__ import annotations

from django.conf import settings

from meedoen.clients.constants import BenefitEndReason, BenefitType
from meedoen.dataexchange.columns import COLUMNS


def test_import_md_describes_every_column_and_code():
    text = (settings.BASE_DIR / "docs" / "development" / "import.md").read_text()
    for column in COLUMNS:
        assert f"`{column.name}`" in text, column.name
    for value in [*BenefitType.values, *BenefitEndReason.values]:
        assert f"`{value}`" in text, value
