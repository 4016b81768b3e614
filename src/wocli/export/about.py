"""What an exported data set says about itself: title, source and licence (the CSV data
package and the datasette metadata both say it)."""

from __future__ import annotations

from .. import __version__

NAME = "workers-opposition"
TITLE = "The Workers' Opposition (RCP(b), 1919-1922)"
DESCRIPTION = (
    "People, groups, events, votes, works and terms of the Workers' Opposition, the faction of "
    "the Russian Communist Party led by Shlyapnikov, Medvedev and Kollontai, as curated in "
    f"wocli {__version__}. Every record names its sources (the sources table)."
)
SOURCE_TITLE = "Wikipedia, “Workers’ Opposition” (English)"
SOURCE_URL = "https://en.wikipedia.org/wiki/Workers%27_Opposition"
LICENSE_NAME = "CC-BY-SA-4.0"
LICENSE_TITLE = "Creative Commons Attribution-ShareAlike 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
"""The licence of the article the facts are drawn from, which the data set shares."""
