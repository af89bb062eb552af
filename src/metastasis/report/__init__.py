"""Rendering results for people: figures, and the whole-case report in four formats for two audiences.

* :mod:`metastasis.report.figures` - save matplotlib figures (PNG, SVG, PDF) or return inline SVG.
* :mod:`metastasis.report.view` - the clinician and patient views of a
  :class:`~metastasis.assess.case.Report` (same facts, two wordings).
* :mod:`metastasis.report.render` - Markdown, standalone HTML and JSON (Jinja2 templates in ``templates/``);
  :mod:`metastasis.report.terminal` - the terminal (Rich); :mod:`metastasis.report.plot` - the report's figures.

Modules are imported on use, so that ``import metastasis.report.figures`` stays light.
"""
