"""One module per layer family; importing this package registers them all."""
from shapelint.shapes.rules import (  # noqa: F401  (imported to register)
    attention,
    conv,
    core,
    embedding,
    merge,
    pooling,
    preprocessing,
    recurrent,
    spatial,
    third_party,
    wrappers,
)
