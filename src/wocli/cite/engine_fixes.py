"""Where citeproc-py's behaviour is changed to match citeproc-js (the reference CSL processor).

Each fix is one function that patches one citeproc-py method, applied once by `apply()`; the
engine calls it before rendering. The patches are process-wide (citeproc-py keeps behaviour on
its element classes, which the XML parser instantiates itself, so subclassing is not an option).
Text-level rules live in `typography`; per-rendering state (year suffixes, which items need
``disambiguate="true"``, subsequent-author substitution) is set by `engine`.

What citeproc-py does, what citeproc-js (and CSL) does, and the fix:

- ignores ``initialize="false"`` ("Allen, B. C."); keeps given names whole: `_initialize`
- ``quotes="true"`` gives fixed marks, punctuation outside; marks alternate when nested and
  "." and "," go inside (en-US): `_quotes` + `typography.resolve`
- a short title-case stop-word list, and labels never title-cased; citeproc-js's rules:
  `_text_case` + `typography.title_case`
- renders a ``cs:label`` whose variable is empty ("Edition."); only with a value: `_label`
- ``cs:substitute`` renders every name list inside a ``cs:choose``; the first non-empty one:
  `_substitute`
- substituted variables (names, or a title via a macro) are printed again later
  ("ed. & trans."); suppressed for the rest of the entry: `_names`, `_text_variables`
- ``disambiguate="true"`` never holds and no year suffixes; CSL disambiguation: `_disambiguate`
  (the engine decides which items)
- no ``subsequent-author-substitute`` ("———."); the complete-all rule: `_names` (+ engine)
- sort keys contain quotation marks, so quoted titles sort last; marks ignored: `_sort_keys`
- names in sort keys include their label ("Allen (Ed.)" sorts after "Allen"); names alone:
  `_label` + `_sort_keys`
- ``minimal-two`` page ranges drop digits ("5–9" for 5-29); CSL's rules: `_page_ranges`
- affix parentheses nested in a note stay parentheses; "(…; … [1921])": `_affixes` +
  `typography.resolve`
- a date range in one year loses the year when only the year is shown, and keeps a part's
  suffix before the dash ("April 22,–August 19"); CSL's range rules: `_date_ranges`
- a date rendered inside a sort key sorts as its text ("1921" ties with a range in 1921);
  citeproc-js sorts by the date's value, limited to the parts shown: `_date_sort_keys`
- ``display="block"`` is ignored; a block is a line of its own ("\\n" in text, citeproc-js's
  ``csl-block`` in HTML): `_groups` + `typography.blocks`
- a year suffix is printed only where the style has ``<text variable="year-suffix"/>``; CSL
  (and citeproc-js) append it to the first year rendered when the style has none (APSA's
  "1921a"): `_implicit_year_suffix`
- a group counts a variable tested in any ``cs:choose`` branch as called, so "(Publication)"
  survives; only variables actually called count, and a nested group or macro that printed
  something (a term like "n.d.") counts as a rendered variable: `_groups`

Not a difference in output: citeproc-py evaluates the same XPath expressions on the same style
elements thousands of times per rendering (a third of its time). A parsed style never changes
(`_names` sets the ``variable`` attribute for a moment, which no expression tests), so the
lookups are memoised: `_xpath_memo`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from . import typography

_applied = False

# citeproc-py's names this module replaces, and those it relies on: `tests/test_cite.py` checks
# in a fresh interpreter that each exists upstream, so a citeproc-py release that renames one
# fails a test rather than a user (pyproject.toml pins citeproc-py's minor version too).
PATCHED = (
    "Affixed.wrap",
    "CitationStylesElement.xpath_search",
    "Date.process",
    "Date.render_date_range",
    "Date_Part.process",
    "Else_If.render",
    "FormatNumber._format_last_page",
    "Group.process",
    "If.render",
    "Key.sort_keys",
    "Label.process",
    "Name.initialize",
    "Names.process",
    "Names.render",
    "Number.process",
    "Quoted.quote",
    "Substitute.render",
    "Text._variable",
    "Text.process",
    "TextCased.case",
)
RELIED_ON = (
    "Choose",
    "Else",
    "Locale",
    "Date.is_locale_date",
    "Date.render_single_date",
    "If._type",
    "If._variable",
    "If._is_uncertain_date",
    "If._locator",
    "If._position",
    "If.re_numeric",
    "Layout.render_bibliography",
    "Names.substitute",
    "Text.generated_variables",
)


@dataclass
class _AuthorSubstitution:
    """State for subsequent-author-substitute while one bibliography entry renders."""

    substitute: str
    previous: str | None
    current: str | None = None
    depth: int = 0
    done: bool = False


@dataclass
class RenderState:
    """What the engine decided for one rendering run (set on the bibliography object)."""

    disambiguate: set[str] = field(default_factory=set)


_sorting: ContextVar[bool] = ContextVar("wocli_cite_sorting", default=False)
# Rendering names for a comparison (sort keys, subsequent-author-substitute): no labels.
_names_only: ContextVar[bool] = ContextVar("wocli_cite_names_only", default=False)
_author_substitution: ContextVar[_AuthorSubstitution | None] = ContextVar(
    "wocli_cite_author_substitution", default=None
)


@contextmanager
def author_substitution(substitute: str, previous: str | None) -> Iterator[_AuthorSubstitution]:
    """Within this block the first names element rendered is compared with `previous`."""
    state = _AuthorSubstitution(substitute, previous)
    token = _author_substitution.set(state)
    try:
        yield state
    finally:
        _author_substitution.reset(token)


def apply() -> None:
    """Patch citeproc-py once per process."""
    global _applied
    if _applied:
        return
    from citeproc import model  # type: ignore[import-untyped, unused-ignore]

    for fix in (
        _xpath_memo,
        _initialize,
        _quotes,
        _text_case,
        _label,
        _substitute,
        _names,
        _text_variables,
        _disambiguate,
        _sort_keys,
        _page_ranges,
        _affixes,
        _groups,
        _date_ranges,
        _date_sort_keys,
        _implicit_year_suffix,
    ):
        fix(model)
    _applied = True


_xpath_results: dict[tuple[Any, str], tuple[Any, ...]] = {}
"""XPath results by (element, expression). Holding the element keeps lxml from discarding its
Python proxy, so the same node is the same key; the styles in memory bound the size."""


def _xpath_memo(model: Any) -> None:
    """``xpath_search`` answers each (element, expression) once: the style tree is immutable."""
    original = model.CitationStylesElement.xpath_search

    def xpath_search(self: Any, expression: str) -> list[Any]:
        key = (self, expression)
        found = _xpath_results.get(key)
        if found is None:
            found = _xpath_results[key] = tuple(original(self, expression))
        return list(found)

    model.CitationStylesElement.xpath_search = xpath_search


def _inherited(element: Any, attribute: str) -> str | None:
    """An inheritable name option: from the element, cs:citation/cs:bibliography, or cs:style."""
    node = element
    while node is not None:
        value = node.get(attribute)
        if value is not None:
            return str(value)
        node = node.getparent()
    return None


def _initialize(model: Any) -> None:
    """``initialize="false"``: keep given names whole; only format initials already there."""
    original = model.Name.initialize

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        if (_inherited(self, "initialize") or "true").lower() != "false":
            return str(original(self, given, mark, context))
        words = []
        for word in given.split():
            if re.fullmatch(r"\w\.?", word) and word[0].isupper():
                word = word[0] + mark.rstrip()
            words.append(word)
        return " ".join(words)

    model.Name.initialize = initialize


def _quotes(model: Any) -> None:
    """Quotation marks become markers, resolved by nesting in `typography.resolve`."""
    from citeproc.string import String  # type: ignore[import-untyped, unused-ignore]

    def quote(self: Any, string: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":
            return String(typography.QUOTE_OPEN) + string + String(typography.QUOTE_CLOSE)
        return string

    model.Quoted.quote = quote


def _recase(text: Any, how: Callable[[str, Callable[[int], bool]], str]) -> Any:
    """Apply a casing function to a citeproc-py (Mixed)String, keeping nocase spans and types."""
    from citeproc.string import MixedString, NoCase, String

    segments = list(text) if isinstance(text, MixedString) else [text]
    flat = "".join(str(s) for s in segments)
    locked: set[int] = set()
    pos = 0
    for seg in segments:
        if isinstance(seg, NoCase):
            locked.update(range(pos, pos + len(str(seg))))
        pos += len(str(seg))
    new = how(flat, locked.__contains__)
    out = []
    pos = 0
    for seg in segments:
        n = len(str(seg))
        piece = new[pos : pos + n]
        pos += n
        out.append(NoCase(piece) if isinstance(seg, NoCase) else String(piece))
    if isinstance(text, MixedString):
        return MixedString(out)
    return out[0] if isinstance(text, String) else str(out[0])


def _text_case(model: Any) -> None:
    """citeproc-js title case and capitalize-first; a term (no item language) counts as English."""
    original = model.TextCased.case

    def case(self: Any, text: Any, language: str | None = None) -> Any:
        text_case = self.get("text-case")
        if text_case == "title":
            if language not in (None, "en"):
                return text
            return _recase(text, typography.title_case)
        if text_case == "capitalize-first":
            return _recase(text, typography.capitalize_first)
        return original(self, text, language)

    model.TextCased.case = case


def _label(model: Any) -> None:
    """A ``cs:label`` naming a variable renders only when that variable has a value."""
    original = model.Label.process

    def process(self: Any, item: Any, variable: str | None = None, *args: Any, **kw: Any) -> Any:
        if _names_only.get() and isinstance(self.getparent(), model.Names):
            return None  # a names label ("ed.") is no part of a sort key or an author's name
        if variable is None:
            name = self.get("variable")
            if name == "locator":
                if not item.has_locator:
                    return None
            elif name is not None and name.replace("-", "_") not in item.reference:
                return None
        return original(self, item, variable, *args, **kw)

    model.Label.process = process


def _substitute(model: Any) -> None:
    """``cs:substitute`` uses the first element that renders, looking into ``cs:choose``."""
    from citeproc.source import VariableError  # type: ignore[import-untyped, unused-ignore]

    def candidates(node: Any, item: Any, context: Any) -> Iterator[Any]:
        for child in node.iterchildren():
            if isinstance(child, model.Choose):
                for branch in child.iterchildren():
                    if isinstance(branch, model.Else) or _condition(branch, item, context):
                        yield from candidates(branch, item, context)
                        break
            else:
                yield child

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        names = self.xpath_search("./parent::cs:names[1]")[0]
        for child in candidates(self, item, context):
            used: set[str] = set((child.get("variable") or "").split())
            _substitute_collectors.append(used)
            try:
                if isinstance(child, model.Names) and child.name is None:
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                _substitute_collectors.pop()
            if text:
                _suppress(used, context)
                return text
        return None

    model.Substitute.render = render


def _condition(branch: Any, item: Any, context: Any) -> bool:
    """Whether a cs:if / cs:else-if condition holds, including ``disambiguate``."""
    results: list[bool] = []
    if "disambiguate" in branch.attrib:
        state: RenderState | None = getattr(item.bibliography, "wocli_state", None)
        holds = state is not None and item.key in state.disambiguate
        results.append(holds == (branch.get("disambiguate").lower() == "true"))
    if "type" in branch.attrib:
        results += branch._type(item)
    if "variable" in branch.attrib:
        results += branch._variable(item)
    if "is-numeric" in branch.attrib:
        results += [_is_numeric(branch, item, name) for name in branch.get("is-numeric").split()]
    if "is-uncertain-date" in branch.attrib:
        results += branch._is_uncertain_date(item)
    if "locator" in branch.attrib:
        results += branch._locator(item)
    if "position" in branch.attrib:
        results += branch._position(item, context)
    match = branch.get("match")
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


# CSL "numeric": a number with letters around it ("12", "2nd", "12a"), or a list or range of them
# ("12-15", "3, 5 & 7"); what citeproc-js's is-numeric accepts.
_NUMERIC = re.compile(
    r"\s*[a-z]*\d+[a-z]*(?:\s*(?:[-\u2013,&]|and)\s*[a-z]*\d+[a-z]*)*\s*", re.IGNORECASE
)


def _is_numeric(branch: Any, item: Any, name: str) -> bool:
    """``is-numeric``, for the locator too: citeproc-py looks for it among the item's fields."""
    if name == "locator":
        return bool(item.has_locator and _NUMERIC.fullmatch(str(item.locator.identifier)))
    variable = name.replace("-", "_")
    return variable in item.reference and bool(
        branch.re_numeric.match(str(item.reference[variable]))
    )


def _suppress(variables: set[str], context: Any) -> None:
    """Mark variables a substitute rendered as used for the rest of the entry."""
    try:
        layout = context.get_layout()
    except (IndexError, AttributeError):
        return
    layout.repressed.setdefault("*", []).extend(sorted(variables))


def _suppressed(context: Any) -> list[str]:
    try:
        return list(context.get_layout().repressed.get("*", []))
    except (IndexError, AttributeError):
        return []


def _names(model: Any) -> None:
    """Substituted name variables are not rendered again; subsequent-author-substitute."""
    original_process = model.Names.process
    original_render = model.Names.render

    def process(self: Any, item: Any, names_context: Any = None, context: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        repressed = _suppressed(context if context is not None else self)
        variables = (self.get("variable") or "").split()
        kept = [v for v in variables if v not in repressed]
        if kept == variables:
            return original_process(self, item, names_context, context, **kw)
        if not kept:
            substitute = self.substitute()
            if substitute is None:
                raise _variable_error()
            return substitute.render(item, context=context, **kw)
        self.set("variable", " ".join(kept))
        try:
            return original_process(self, item, names_context, context, **kw)
        finally:
            self.set("variable", " ".join(variables))

    def render(self: Any, item: Any, *args: Any, **kw: Any) -> Any:
        state = _author_substitution.get()
        if state is None or state.done:
            return original_render(self, item, *args, **kw)
        state.depth += 1
        try:
            text = original_render(self, item, *args, **kw)
        finally:
            state.depth -= 1
        if state.depth == 0 and text:
            from citeproc.string import String

            state.done = True
            state.current = str(text)
            if state.current == state.previous:
                return String(state.substitute)
        return text

    model.Names.process = process
    model.Names.render = render


def _text_variables(model: Any) -> None:
    """A text variable a substitute already rendered is not rendered again."""
    original = model.Text._variable

    def _variable(self: Any, item: Any, context: Any) -> Any:
        if self.get("variable") in _suppressed(context):
            return None
        return original(self, item, context)

    model.Text._variable = _variable


def _variable_error() -> Exception:
    from citeproc.source import VariableError

    return VariableError()  # type: ignore[no-any-return]


def _disambiguate(model: Any) -> None:
    """Conditions: ``disambiguate="true"`` holds for the items the engine found ambiguous."""

    def render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kw: Any) -> Any:
        if not _condition(self, item, context):
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kw)

    model.If.render = render
    model.Else_If.render = render


def _sort_keys(model: Any) -> None:
    """Text sort keys are compared as citeproc-js compares them (`typography.sort_key`)."""
    from citeproc import DATES, NUMBERS  # type: ignore[import-untyped, unused-ignore]

    original = model.Key.sort_keys

    def sort_keys(self: Any, items: Any, context: Any) -> list[Any]:
        token = _sorting.set(True)
        names_token = _names_only.set(True)
        try:
            keys = original(self, items, context)
        finally:
            _names_only.reset(names_token)
            _sorting.reset(token)
        variable = (self.get("variable") or "").replace("-", "_")
        if variable in DATES or variable in NUMBERS or variable == "citation_number":
            return list(keys)
        return [None if key is None else typography.sort_key(str(key)) for key in keys]

    model.Key.sort_keys = sort_keys


def _page_ranges(model: Any) -> None:
    """CSL page-range-format: expanded, minimal, minimal-two, chicago(-15/-16)."""

    def format_last_page(self: Any, first: str, last: str) -> str:
        range_format = self.get_root().get_option("page-range-format")
        return page_range_last(first, last, range_format)

    model.FormatNumber._format_last_page = format_last_page


def page_range_last(first: str, last: str, range_format: str | None) -> str:
    """The second number of a page range, abbreviated per `range_format` (CSL 1.0.2 rules)."""
    if not (first.isdigit() and last.isdigit()) or len(first) != len(last):
        return last
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        number = int(first)
        if number < 100 or number % 100 == 0:
            return last
        if range_format != "chicago-16" and len(first) == 4 and first[:2] != last[:2]:
            return last  # chicago-15: four digits of which three change
        range_format = "minimal" if number % 100 < 10 else "minimal-two"
    if range_format not in ("minimal", "minimal-two"):
        return last
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    keep = 2 if range_format == "minimal-two" else 1
    return last[max(min(common, len(last) - keep), 0) :]


def _affixes(model: Any) -> None:
    """Parentheses in affixes become markers, flipped to brackets when nested in notes."""
    table = str.maketrans({"(": typography.PAREN_OPEN, ")": typography.PAREN_CLOSE})
    from citeproc.string import normalize_seam

    def wrap(self: Any, string: Any) -> Any:
        if string is None:
            return None
        prefix = self.get("prefix", "").translate(table)
        suffix = self.get("suffix", "").translate(table)
        string = normalize_seam(prefix, string)
        text = prefix + string
        return text + normalize_seam(text, suffix)

    model.Affixed.wrap = wrap


@dataclass
class _GroupFrame:
    called: int = 0
    rendered: int = 0


_group_frames: list[_GroupFrame] = []  # innermost last; wocli renders on one thread
_substitute_collectors: list[set[str]] = []  # variables rendered inside a cs:substitute child


def _record(rendered: bool, variables: str | None = None) -> None:
    if rendered and variables:
        for collector in _substitute_collectors:
            collector.update(variables.split())
    if _group_frames:
        frame = _group_frames[-1]
        frame.called += 1
        frame.rendered += int(rendered)


def _groups(model: Any) -> None:
    """cs:group is suppressed when the variables its rendering called were all empty.

    citeproc-py decides from which variables the group's children *could* call (any branch of a
    cs:choose); CSL and citeproc-js count the variables actually called.
    """
    from citeproc.source import VariableError

    def recorded(method: Callable[..., Any], skip: Callable[[Any], bool]) -> Callable[..., Any]:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if skip(self):
                return method(self, *args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except VariableError:
                _record(False)
                raise
            _record(bool(result), self.get("variable"))
            return result

        return wrapper

    model.Text._variable = recorded(
        model.Text._variable, lambda el: el.get("variable") in model.Text.generated_variables
    )
    model.Number.process = recorded(model.Number.process, lambda el: False)
    model.Date.process = recorded(model.Date.process, lambda el: el.is_locale_date())
    model.Names.process = recorded(model.Names.process, lambda el: False)

    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        frame = _GroupFrame()
        _group_frames.append(frame)
        output = []
        delimiter = self.get("delimiter", "")
        try:
            for child in self.iterchildren():
                try:
                    if isinstance(child, model.Choose):
                        text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                    else:
                        text = child.render(item, context=context, **kwargs)
                except VariableError:
                    continue
                if text is not None:
                    output.append(text)
        finally:
            _group_frames.pop()
        success = bool(output) and (frame.called == 0 or frame.rendered > 0)
        _nested_done(frame, success)
        if success:
            joined = self.join(output)
            if self.get("display") == "block":  # set apart as its own line (iso690's notes)
                from citeproc.string import String

                return String(typography.BLOCK_OPEN) + joined + String(typography.BLOCK_CLOSE)
            return joined
        raise VariableError

    original_text_process = model.Text.process

    def text_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if "macro" not in self.attrib:
            return original_text_process(self, item, context=context, **kwargs)
        frame = _GroupFrame()
        _group_frames.append(frame)
        try:
            text, language = original_text_process(self, item, context=context, **kwargs)
        finally:
            _group_frames.pop()
        _nested_done(frame, bool(text))
        return text, language

    model.Group.process = process
    model.Text.process = text_process


def _nested_done(frame: _GroupFrame, rendered: bool) -> None:
    """A nested group or macro that printed something counts as a rendered variable for its
    parent group (citeproc-js treats macros as groups); its empty variables count as called."""
    if _group_frames:
        parent = _group_frames[-1]
        parent.called += frame.called
        parent.rendered += int(rendered)


def _date_ranges(model: Any) -> None:
    """Date ranges: the differing parts joined by the range delimiter, shared parts once."""
    from citeproc.source import VariableError
    from citeproc.string import String

    def render_date_range(
        self: Any, date_range: Any, show_parts: Any = None, context: Any = None
    ) -> Any:
        begin, end = date_range.begin, date_range.end
        show = list(show_parts or ["year", "month", "day"])
        if end.is_nil():
            return self.render_single_date(begin, show, context)
        if begin.get("year") != end.get("year"):
            differ = {"year", "month", "day"}
            largest = "year"
        elif begin.get("month") != end.get("month") or begin.get("season") != end.get("season"):
            differ = {"month", "day"}
            largest = "month"
        elif begin.get("day") != end.get("day"):
            differ = {"day"}
            largest = "day"
        else:
            return self.render_single_date(begin, show, context)
        parts = [p for p in self.iterchildren() if p.get("name") in show]
        positions = [i for i, p in enumerate(parts) if p.get("name") in differ]
        if not positions:
            return self.render_single_date(begin, show, context)
        first, last = positions[0], positions[-1]
        part_context = context if context is not self else None

        def render(
            part: Any, date: Any, strip_suffix: bool = False, strip_prefix: bool = False
        ) -> Any:
            try:
                text = part.render(date, part_context)
            except (VariableError, KeyError, AttributeError):
                return None
            from citeproc.string import String

            suffix = part.get("suffix", "")
            if text is not None and strip_suffix and suffix and str(text).endswith(suffix):
                text = String(str(text)[: -len(suffix)])
            prefix = part.get("prefix", "")
            if text is not None and strip_prefix and prefix and str(text).startswith(prefix):
                text = String(str(text)[len(prefix) :])
            return text

        delimiter = "\u2013"
        for part in parts:
            if part.get("name") == largest and part.get("range-delimiter"):
                delimiter = part.get("range-delimiter")
        left = [render(p, begin) for p in parts[:first]]
        left += [render(p, begin) for p in parts[first:last]]
        left.append(render(parts[last], begin, strip_suffix=True))
        # The end's first part loses its prefix ("April 22–August 19", not "–, August 19"); its
        # differing parts are joined without the date's delimiter, as citeproc-js joins them
        # ("1921 Apr 22–Aug19"), the shared parts after them with it.
        right = [render(parts[first], end, strip_prefix=True)]
        right += [render(p, end) for p in parts[first + 1 : last + 1]]
        after = [render(p, end) for p in parts[last + 1 :]]
        left_text = self.join([t for t in left if t is not None])
        right_text = "".join(str(t) for t in right if t is not None)
        tail = [t for t in after if t is not None]
        if tail:
            right_text = self.join([String(right_text), *tail])
        return left_text + delimiter + right_text

    model.Date.render_date_range = render_date_range


def _date_key(date: Any, shown: set[str]) -> str:
    from citeproc.source import DateRange

    def one(d: Any) -> str:
        if d is None:
            return "1" + "0" * 8
        year = int(d.get("year") or 0) if "year" in shown else 0
        month = int(d.get("month") or 0) if "month" in shown else 0
        day = int(d.get("day") or 0) if "day" in shown else 0
        return f"1{year:04d}{month:02d}{day:02d}"

    if isinstance(date, DateRange):
        end = date.get("end")
        return one(date.begin) + one(None if end is None or end.is_nil() else end)
    return one(date) + one(None)


def _date_sort_keys(model: Any) -> None:
    """In a sort key, a date renders as its value (citeproc-js's "1YYYYMMDD1YYYYMMDD")."""
    from citeproc.source import LiteralDate
    from citeproc.string import String

    original = model.Date.process

    def process(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
        if not _sorting.get() or self.is_locale_date():
            return original(self, item, variable, *args, **kwargs)
        name = variable or self.get("variable")
        date = item.reference[name.replace("-", "_")]  # VariableError when absent
        if not date or isinstance(date, LiteralDate):
            return original(self, item, variable, *args, **kwargs)
        if self.get("form") is not None:
            shown = set((self.get("date-parts") or "year-month-day").split("-"))
        else:
            shown = {p.get("name") for p in self.iterchildren()}
        return String(_date_key(date, shown))

    model.Date.process = process


_year_suffix: ContextVar[Any] = ContextVar("wocli_cite_year_suffix", default=None)
_explicit_suffix: dict[Any, bool] = {}  # style root -> has <text variable="year-suffix"/>


def _implicit_year_suffix(model: Any) -> None:
    """Without ``<text variable="year-suffix"/>``, the suffix follows the first year rendered."""
    original_date = model.Date.process
    original_part = model.Date_Part.process

    def date_process(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        if _sorting.get() or getattr(item, "wocli_year_suffix_done", True):
            return original_date(self, item, *args, **kwargs)
        root = self.get_root()
        if isinstance(root, model.Locale):  # a localized date: the style it was loaded for
            root = root.style
        if root not in _explicit_suffix:
            found = root.xpath_search('//cs:text[@variable="year-suffix"]')
            _explicit_suffix[root] = bool(found)
        suffix = item.reference.get("year_suffix") if not _explicit_suffix[root] else None
        if not suffix:
            return original_date(self, item, *args, **kwargs)
        token = _year_suffix.set([item, str(suffix)])
        try:
            return original_date(self, item, *args, **kwargs)
        finally:
            _year_suffix.reset(token)

    def part_process(self: Any, date: Any, context: Any = None) -> Any:
        text = original_part(self, date, context)
        pending = _year_suffix.get()
        if pending is not None and text and self.get("name") == "year":
            item, suffix = pending
            if not item.wocli_year_suffix_done:
                item.wocli_year_suffix_done = True
                return str(text) + suffix
        return text

    model.Date.process = date_process
    model.Date_Part.process = part_process
