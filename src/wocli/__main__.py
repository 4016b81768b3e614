"""`python -m wocli`."""

from .entry import main

main()
