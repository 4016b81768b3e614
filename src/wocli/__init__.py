"""wocli: an offline command-line reference to the Workers' Opposition."""

__version__ = "0.1.0"
