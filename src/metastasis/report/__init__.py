"""Rendering results for people: figures now; whole-case reports later (terminal, Markdown, HTML, JSON)."""
