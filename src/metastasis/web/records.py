"""The case store's pages: sign-in, the clinician's records, a record over time and the patient's own view."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
