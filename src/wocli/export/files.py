"""Writing an export where it was asked for, whole or not at all.

Everything is written to a temporary file (or folder) beside the destination and renamed into
place when complete: an interrupted or failed export leaves what was there before, and no
half-written file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError
from ..i18n import _


def destination(path: Path) -> Path:
    """Where an export to `path` goes: through a symbolic link to the file it names (renaming
    over the link would replace the link and leave its target as it was)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check(path: Path, fmt: str, folder: bool) -> None:
    """Raise UsageError, before any work, when `path` cannot take a `fmt` export."""
    path = destination(path)
    if path.exists() and not (path.is_dir() or path.is_file()):  # a device, a pipe, a socket
        raise UsageError(
            _("{path} is not a regular file: an export replaces a file, never a device or a pipe")
            .format(path=path)
        )  # fmt: skip
    if folder and path.exists() and not path.is_dir():
        raise UsageError(
            _("{path} is not a folder: --format {fmt} writes a folder of files").format(
                path=path, fmt=fmt
            )
        )
    if not folder and path.is_dir():
        raise UsageError(
            _("{path} is a folder: --format {fmt} writes a file; name the file").format(
                path=path, fmt=fmt
            )
        )
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(_("cannot write {path}: there is no folder {parent}").format(
            path=path, parent=parent))  # fmt: skip
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(_("cannot write {path}: permission denied").format(path=path))


def failed(path: Path, exc: OSError) -> UsageError:
    """An error while writing, as the one line the user sees."""
    return UsageError(
        _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path to write to; renamed to `path` when the block ends without error."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        temp.chmod(0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder to write into; when the block ends without error it becomes `path`,
    or, if `path` is a folder already, each file is moved into it whole."""
    temp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part"))
    try:
        yield temp
        for item in temp.iterdir():
            item.chmod(0o666 & ~_umask())
        if path.is_dir():
            for item in sorted(temp.iterdir(), key=lambda p: p.name == "datapackage.json"):
                os.replace(item, path / item.name)  # the package description last
        else:
            temp.chmod(0o777 & ~_umask())
            os.replace(temp, path)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def write_text(path: Path, text: str) -> None:
    with atomic_file(path) as temp:
        temp.write_text(text, encoding="utf-8")
