"""clientfit: decide calmly, on evidence, whether to end a client relationship."""

__version__ = "0.1.0"
