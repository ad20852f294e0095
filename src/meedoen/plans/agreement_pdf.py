"""The voluntary agreement as a tagged, accessible PDF (PDF/UA-1) in plain Dutch (B1).

Rendered like the data-subject export (privacy.subject_access.subject_access_export_pdf):
WeasyPrint imported inside the function, the style sheet given separately (no inline style),
DejaVu fonts, `lang="nl"` and a title. Rendered again on every download from the stored plan
version (selectors_agreement.agreement_content); nothing of the document is stored. No BSN, no
client number: the agreement is for the household and their coach, not a file extract.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meedoen.plans.models import Agreement
from meedoen.plans.selectors_agreement import agreement_content

PDF_CSS = """
@page { size: A4; margin: 2cm 2cm;
  @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.5; color: #000; }
h1 { font-size: 19pt; margin: 0 0 0.4em; }
h2 { font-size: 14pt; margin: 1.3em 0 0.4em; border-bottom: 1px solid #555; }
h3 { font-size: 12pt; margin: 0.9em 0 0.3em; }
ul { margin: 0.2em 0 0.6em; padding-left: 1.2em; }
li { margin-bottom: 0.35em; }
.meta { color: #222; }
.voluntary { border: 2px solid #000; padding: 0.5em 0.8em; margin: 1em 0; }
table { border-collapse: collapse; width: 100%%; margin-top: 0.6em; }
th, td { border: 1px solid #777; padding: 6pt; text-align: left; vertical-align: top; }
td.sign { height: 2.2cm; }
"""


def agreement_filename(agreement: Agreement) -> str:
    """The download's name: the household reference and the number, nothing personal."""
    return f"afspraken-{agreement.plan.household.reference}-{agreement.number}.pdf"


def agreement_pdf(*, agreement: Agreement) -> bytes:
    """The agreement `agreement` (with plan, household and municipality selected) as a PDF."""
    # Imported here: WeasyPrint needs Pango, and a machine without it must still run Meedoen.
    from weasyprint import CSS, HTML

    with translation.override("nl"):
        content = agreement_content(
            agreement=agreement, made_on=timezone.localdate(agreement.created_at)
        )
        html = render_to_string(
            "plans/agreement.html",
            {"content": content, "names": [m.name for m in content.members]},
        )
        css = PDF_CSS % {"page": _("Pagina"), "of": _("van")}
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=css)], pdf_variant="pdf/ua-1")
    return pdf
