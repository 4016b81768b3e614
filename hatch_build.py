"""Build hook: compile the interface's gettext catalogs (.po, in the repository) into the .mo
files the installed package reads. The .mo files are build products, never committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/wocli/i18n/locale")


class CatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as f:
                write_mo(f, catalog)
            build_data["artifacts"].append(str(mo.relative_to(root)))
