"""The REST API and the application that serves it together with the web app.

``create_app()`` builds the ASGI application: ``/api/v1/...`` (JSON, documented at ``/docs``), the web pages,
static files, one error policy (422 for bad input, never a stack trace) and structured request logs.
"""

from metastasis.api.app import create_app

__all__ = ["create_app"]
