"""The clinical-trial pages: the clinician's ranked matches for a case and the patient's plain-language list."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
