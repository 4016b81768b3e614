"""Overlay records that correct a few fields of an earlier one, and where each field came from.

An overlay record with `patch = true` is merged into the record of the same id that an earlier
file gave (the bundled base or an earlier overlay): each field it sets takes the place of the
earlier value, except that `FIELD = {add = [...]}` adds items to a list field and a table (a
work's `csl`) is merged key by key. A patch that changes a field the curators translated
(`note`, `roles`, ... : model.TRANSLATED) without giving its `FIELD_ru` drops the earlier
translation, which no longer says the same. Every merged raw table carries its provenance
under the key PROVENANCE, into the compiled cache and on to `Record.provenance`: field -> the
file that set it, or, for items added to a list of strings, "FIELD:ITEM" -> the file (as
`general_reference` marks one item).
"""

from __future__ import annotations

from typing import Any

from .i18n import _
from .model import PROVENANCE, TRANSLATED
from .suggest import Near

NOT_FACTS = ("replace", "patch")
"""Fields that say how a file merges, not what is true."""


def is_patch(raw: Any) -> bool:
    """Whether a raw record asks to be merged into the earlier one (`patch = true`)."""
    return isinstance(raw, dict) and raw.get("patch") is True


def stamped(raw: Any, file: str) -> Any:
    """A whole record from an overlay, marked as every field from `file`: the file's name
    alone, spelt out by `provenance` when the record is built (a large overlay's cache stays
    small)."""
    return {**raw, PROVENANCE: file} if isinstance(raw, dict) else raw


def provenance(kind: str, stored: dict[str, str] | str) -> dict[str, str]:
    """The provenance a raw table carries, spelt out: a file name alone means every field of
    the kind."""
    if isinstance(stored, dict):
        return stored
    from .validate import field_names

    return {f: stored for f in field_names(kind) if f not in NOT_FACTS}


def apply_patch(
    where: str, kind: str, base_raw: dict[str, Any], patch_raw: dict[str, Any], file: str
) -> tuple[dict[str, Any], list[str]]:
    """The earlier record with a patch's fields merged in, provenance included, and what is
    wrong with the patch's own shape (the merged record is validated as any other)."""
    merged = {k: v for k, v in base_raw.items() if k != PROVENANCE}
    came = dict(provenance(kind, base_raw.get(PROVENANCE, {})))
    problems: list[str] = []
    if patch_raw.get("replace") is True:
        problems.append(
            _("{where}: `patch = true` and `replace = true` cannot both be given").format(
                where=where
            )
        )
    replaced: set[str] = set()
    for key, value in patch_raw.items():
        if key in NOT_FACTS:
            continue
        earlier = merged.get(key)
        if isinstance(value, dict) and "add" in value and not isinstance(earlier, dict):
            if problem := _addable(value, earlier):
                problems.append(f"{where}.{key}: {problem}")
                continue
            have = list(earlier or [])
            added = [item for item in value["add"] if item not in have]
            merged[key] = have + added
            if all(isinstance(item, str) for item in added):  # named as general_reference does
                came.update((f"{key}:{item}", file) for item in added)
            else:  # a list of tables (sources): the whole field
                came[key] = file
            continue
        if isinstance(value, dict) and isinstance(earlier, dict):
            merged[key] = {**earlier, **value}  # a work's csl: one variable at a time
        else:
            merged[key] = value
            replaced.add(key)
            for mark in [m for m in came if _field(m) == key and m != key]:
                del came[mark]  # the items marked are gone or are now this file's
        came[key] = file
    for key in TRANSLATED:  # a translation of what the patch changed is out of date
        stale = f"{key}_ru"
        if key in patch_raw and stale not in patch_raw and stale in merged:
            del merged[stale]
            came.pop(stale, None)
            replaced.add(stale)  # its general_reference mark goes too
    if replaced and "general_reference" not in replaced:
        # A mark said the earlier value was not from the sources; the new value is the
        # overlay's, and an item mark may name an item that is gone.
        marks = merged.get("general_reference")
        if isinstance(marks, list):
            kept = [m for m in marks if not (isinstance(m, str) and _field(m) in replaced)]
            if kept != marks:
                merged["general_reference"] = kept
            if not kept:
                del merged["general_reference"]
    merged[PROVENANCE] = came
    return merged, problems


def _addable(value: dict[str, Any], earlier: Any) -> str | None:
    """What is wrong with `{add = [...]}` for a field holding `earlier`, or None."""
    if value.keys() != {"add"}:
        extra = ", ".join(sorted(value.keys() - {"add"}))
        return _("{shape} takes nothing else (found: {extra})").format(
            shape="{add = [...]}", extra=extra
        )
    if not isinstance(value["add"], list):
        return _("must be {shape}, an array to add to the earlier list").format(
            shape="{add = [ITEM, ...]}"
        )
    if earlier is not None and not isinstance(earlier, list):
        return _("{shape} adds to a list, and the earlier value is not one").format(
            shape="{add = [...]}"
        )
    return None


def _field(mark: str) -> str:
    """The field a general_reference mark names ('aliases:X' -> 'aliases')."""
    return mark.partition(":")[0]


def without_provenance(raw: Any) -> Any:
    """A merged raw table as its files gave it, for validation."""
    if isinstance(raw, dict) and PROVENANCE in raw:
        return {k: v for k, v in raw.items() if k != PROVENANCE}
    return raw


def patched(
    where: str,
    kind: str,
    rid: str,
    patch_raw: dict[str, Any],
    earlier: tuple[str, str, Any] | None,
    file: str,
    near: Near | None = None,
) -> tuple[dict[str, Any] | None, list[str]]:
    """A patch merged into the earlier (file, plural kind, raw) of its id: the record to keep in
    its place, or None when there is nothing to patch, and every problem found (with `near`,
    the id a patch of nothing probably meant)."""
    from .validate import check_record

    if earlier is None:
        problem = _("{where}: no earlier record has the id {id} to patch").format(
            where=f"{where}.patch", id=repr(rid)
        )
        meant = near(rid, (kind,)) if near else None
        problem += _(" (did you mean {id}?)").format(id=meant) if meant else ""
        return None, [problem, *_alone(where, kind, rid, patch_raw)]
    if earlier[1] != kind:
        problem = _("{where}: patches a record of {table}, not of {kind}").format(
            where=where, table=earlier[1], kind=kind
        )
        return None, [problem, *_alone(where, kind, rid, patch_raw)]
    if not isinstance(earlier[2], dict):  # not a table (reported already), or not at hand
        return None, _alone(where, kind, rid, patch_raw)
    merged, problems = apply_patch(where, kind, earlier[2], patch_raw, file)
    problems.extend(check_record(where, kind, rid, without_provenance(merged)))
    return merged, problems


def _alone(where: str, kind: str, rid: str, patch_raw: dict[str, Any]) -> list[str]:
    """The problems of a patch's own fields when there is no record to merge it into."""
    from .validate import check_record

    own = {k: v["add"] if isinstance(v, dict) and "add" in v else v for k, v in patch_raw.items()}
    own.pop("patch", None)
    found = check_record(where, kind, rid, own)
    return [p for p in found if _field_of(where, p) in own or _field_of(where, p) is None]


def _field_of(where: str, problem: str) -> str | None:
    """The field a problem of the record at `where` is about ('WHERE.born: ...' -> 'born')."""
    if not problem.startswith(where + "."):
        return None
    rest = problem[len(where) + 1 :]
    for end, char in enumerate(rest):
        if char in ":.[":
            return rest[:end]
    return rest
