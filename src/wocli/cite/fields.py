"""Reading CSL-JSON item fields for the BibTeX and RIS writers."""

from __future__ import annotations

from typing import Any


def text_of(item: dict[str, Any], field: str) -> str | None:
    """A field as a string (numbers too), or None when absent or empty."""
    value = item.get(field)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def names_of(item: dict[str, Any], role: str) -> list[dict[str, str]]:
    """The name dicts of a name variable (author, editor, ...)."""
    value = item.get(role)
    if not isinstance(value, list):
        return []
    return [
        {k: str(v) for k, v in name.items() if v is not None}
        for name in value
        if isinstance(name, dict)
    ]


def date_parts(item: dict[str, Any], field: str) -> list[int]:
    """[year, month?, day?] of a CSL date's first date, or [] when it has none."""
    value = item.get(field)
    if not isinstance(value, dict):
        return []
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            return [int(p) for p in parts[0][:3]]
        except (TypeError, ValueError):
            return []
    return []


def page_range(item: dict[str, Any], dash: str) -> str | None:
    """The `page` field with its range dash(es) written as `dash`."""
    pages = text_of(item, "page")
    if pages is None:
        return None
    return "".join(dash if ch in "-\u2013" else ch for ch in pages).replace(dash * 2, dash)


def page_bounds(item: dict[str, Any]) -> tuple[str | None, str | None]:
    """(first, last) page of a simple range "5-29"; (pages, None) for anything else."""
    pages = text_of(item, "page")
    if pages is None:
        return None, None
    parts = [p.strip() for p in pages.replace("\u2013", "-").split("-") if p.strip()]
    if len(parts) == 2 and "," not in pages:
        return parts[0], parts[1]
    return pages, None


def date_range_end(item: dict[str, Any], field: str) -> list[int]:
    """[year, month?, day?] of the end of a CSL date range, or [] when it is no range."""
    value = item.get(field)
    if not isinstance(value, dict):
        return []
    parts = value.get("date-parts")
    if isinstance(parts, list) and len(parts) > 1 and isinstance(parts[1], list) and parts[1]:
        try:
            return [int(p) for p in parts[1][:3]]
        except (TypeError, ValueError):
            return []
    return []


def iso_date(parts: list[int]) -> str:
    """[1921, 4, 22] -> "1921-04-22"; [1921] -> "1921"."""
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
