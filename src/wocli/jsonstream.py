"""Read a JSON object's members one at a time, and the arrays among them an element at a time,
with the standard library's decoder: a large export is never held whole in memory.

Only a document that is one object is streamed. Anything else (another top level, a key given
twice, text that is not UTF-8 or not JSON, a file that changes while it is read) raises
Unstreamable, and the caller reads the file whole with `json.loads`, whose messages say what
is wrong: what this module returns is always what `json.loads` would.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

CHUNK = 2**20
"""Bytes decoded at a time."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's, as the json module has it


class Unstreamable(Exception):
    """The file is not a JSON object that can be read a piece at a time."""


class Stream:
    """A file's text from a byte offset on, decoded a chunk at a time; `pos` is the place
    reached in `buf`."""

    def __init__(self, f: BinaryIO, offset: int = 0) -> None:
        f.seek(offset)
        self._f = f
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._json = json.JSONDecoder()
        self._start = offset  # of buf[0] in the file
        self.buf = ""
        self.pos = 0
        self.eof = False

    def _more(self, at_least: int = 0) -> bool:
        """Read on (dropping what has been read); False at the end of the file."""
        if self.eof:
            return False
        if self.pos:
            self._start += len(self.buf[: self.pos].encode("utf-8"))
            self.buf = self.buf[self.pos :]
            self.pos = 0
        data = self._f.read(max(CHUNK, at_least))
        try:
            self.buf += self._decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise Unstreamable from None
        self.eof = not data
        return True

    def offset(self) -> int:
        """The byte offset in the file of the place reached."""
        return self._start + len(self.buf[: self.pos].encode("utf-8"))

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos : self.pos + 1]

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise Unstreamable
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, decoded."""
        self.peek()
        while True:
            try:
                value, end = self._json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                value, end = None, -1  # cut short by the chunk's end, or not JSON
            except RecursionError:
                raise Unstreamable from None
            if 0 <= end < len(self.buf) or (end >= 0 and self.eof):
                self.pos = end
                return value
            # a value running to the end of the text read so far may go on (a number, say):
            # read at least as much again, so that a huge value costs a few retries
            if not self._more(len(self.buf) - self.pos):
                raise Unstreamable

    def elements(self) -> Iterator[Any]:
        """The elements of the array that starts here, one at a time."""
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                raise Unstreamable


def members(f: BinaryIO) -> Iterator[tuple[str, Stream]]:
    """(key, the stream at its value) for each member of the object that is the whole file
    (after a UTF-8 byte order mark, if any). The caller reads each value, with `value()` or,
    for an array, `elements()`, before asking for the next member."""
    stream = Stream(f)
    stream.peek()
    if stream.buf.startswith("\ufeff"):
        stream.pos = 1
    stream.take("{")
    seen: set[str] = set()
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if stream.peek() != '"':
                raise Unstreamable
            key = stream.value()
            if key in seen:  # json.loads keeps the last one: read whole
                raise Unstreamable
            seen.add(key)
            stream.take(":")
            yield key, stream
            char = stream.peek()
            stream.pos += 1
            if char == "}":
                break
            if char != ",":
                raise Unstreamable
    if stream.peek() != "":  # something after the object
        raise Unstreamable


def elements_at(f: BinaryIO, offset: int) -> Iterator[Any]:
    """The elements of the array starting at a byte offset (see `Stream.offset`)."""
    return Stream(f, offset).elements()
