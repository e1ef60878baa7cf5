"""Official documents (T-C tables, T-D.4, berita acara, E.78-E.81) as Excel and PDF, from plain rows.

`model` describes a document (title, government, period, tables with a column tree, rows with
levels and totals, signature blocks); `xlsx.write_xlsx` and `pdf.write_pdf` (via `html.render_html`)
lay it out. No database here: the web app builds the `Document` from its selectors.
"""
