"""Tasks, experiment configs, the comparison pipeline, reports, studies and the CLI."""

__version__ = "0.1.0"
