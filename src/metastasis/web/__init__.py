"""The web app: server-rendered pages (Jinja2) for patients and families and for clinicians.

Pages call the same library functions as the API, through the same operations
(:mod:`metastasis.api.catalogue`); forms work without JavaScript and htmx only swaps results in place.
"""
