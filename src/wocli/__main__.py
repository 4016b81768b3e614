"""`python -m wocli`."""

from .cli import main

main()
