from __future__ import annotations

from django.http import HttpResponse


def pdf_response(html: str, filename: str) -> HttpResponse:
    """An HTML page (its template links no remote resources) as a PDF shown in the browser."""
    from weasyprint import HTML  # imported on use: loading Pango costs a second at start-up

    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
