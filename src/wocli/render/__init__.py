"""Renderers: core records in, rich renderables or JSON-ready dicts out."""
