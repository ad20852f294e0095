"""An effect report as a tagged, accessible PDF (PDF/UA-1) in plain Dutch.

Made like the plan's agreement (plans/agreement_pdf.py): WeasyPrint imported inside the
function, the style sheet given separately, DejaVu fonts, `lang="nl"` and a title. The body is
the page's own template (analytics/_effect_report.html), so page and PDF cannot drift apart.
Rendered on every download from the stored result; nothing of the document is stored.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meedoen.analytics.effect_report import effect_report
from meedoen.analytics.models import EffectEvaluation

PDF_CSS = """
@page { size: A4; margin: 1.8cm 1.8cm;
  @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #000; }
h1 { font-size: 18pt; margin: 0 0 0.4em; }
h2 { font-size: 13pt; margin: 1.2em 0 0.4em; border-bottom: 1px solid #555; }
h3 { font-size: 11pt; margin: 0.8em 0 0.3em; }
ul { margin: 0.2em 0 0.6em; padding-left: 1.2em; }
li { margin-bottom: 0.25em; }
table { border-collapse: collapse; width: 100%%; margin: 0.5em 0 0.8em; }
caption { text-align: left; font-weight: bold; margin-bottom: 0.3em; }
th, td { border: 1px solid #777; padding: 3pt 5pt; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
svg { max-width: 100%%; height: auto; }
.meedoen-chart-block { page-break-inside: avoid; margin: 0.4em 0; }
.verdict { border: 2px solid #000; padding: 0.4em 0.8em; margin: 0.8em 0; }
.meedoen-muted { color: #333; }
.meedoen-visually-hidden { display: none; }
"""


def effect_report_filename(evaluation: EffectEvaluation) -> str:
    """Nothing personal: the date and the evaluation's own id."""
    day = timezone.localdate(evaluation.finished_at or evaluation.requested_at)
    return f"effectrapport-{day.isoformat()}-{str(evaluation.pk)[:8]}.pdf"


def effect_report_pdf(*, evaluation: EffectEvaluation) -> bytes:
    """The report of a finished evaluation (instrument and municipality selected) as a PDF."""
    # Imported here: WeasyPrint needs Pango, and a machine without it must still run Meedoen.
    from weasyprint import CSS, HTML

    with translation.override("nl"):
        html = render_to_string(
            "analytics/effect_report_pdf.html",
            {"evaluation": evaluation, "report": effect_report(evaluation), "pdf": True},
        )
        css = PDF_CSS % {"page": _("Pagina"), "of": _("van")}
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=css)], pdf_variant="pdf/ua-1")
    return pdf
