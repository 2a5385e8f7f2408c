"""shapelint: static tensor-shape checks for Keras model code.

``pylint --load-plugins shapelint`` imports this module and calls
``register``; the pylint adapter is imported only then, so the CLI never
loads pylint.
"""
__version__ = "0.1.0"


def register(linter) -> None:
    from shapelint.pylint_plugin import register as _register  # pylint: disable=import-outside-toplevel

    _register(linter)
