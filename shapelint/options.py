"""What the engine assumes about the program it reads, set by the user
(``[tool.shapelint]`` for the CLI, ``--shapelint-*`` options for pylint)."""
from __future__ import annotations

from dataclasses import dataclass

KERAS_VERSIONS = (2, 3)


@dataclass(frozen=True)
class AnalysisOptions:
    """``keras_version``: the Keras major version the program runs under
    (3: Keras 3, ``import keras`` with TF >= 2.16; 2: ``tf_keras`` or
    TF <= 2.15).  A module that imports ``tf_keras`` is Keras 2 whatever
    is set."""

    keras_version: int = 3

    def __post_init__(self) -> None:
        if self.keras_version not in KERAS_VERSIONS:
            raise ValueError(f"keras_version must be 2 or 3, not {self.keras_version!r}")

    def cache_key(self) -> str:
        """What the options add to a cached result's key."""
        return f"keras-version={self.keras_version}"


DEFAULT_OPTIONS = AnalysisOptions()
