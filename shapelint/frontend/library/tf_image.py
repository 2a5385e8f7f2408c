"""Reading images with TensorFlow: ``tf.io.read_file`` and
``tf.io.decode_jpeg``/``decode_png`` (also under ``tf.image``), the start of
most image input pipelines."""
from __future__ import annotations

from typing import Any

from shapelint.frontend.context import Context, LibraryCall
from shapelint.frontend.library.registry import handles, handles_matching
from shapelint.shapes import dims


@handles("tensorflow.io.read_file", "tensorflow.read_file")
def read_file(ctx: Context, call: LibraryCall) -> Any:
    """``tf.io.read_file(path)``: a string scalar tensor."""
    return ctx.new_tensor((), call.node, origin="data", exact=True)


@handles_matching(lambda qualname: qualname.rpartition(".")[2] in ("decode_jpeg", "decode_png")
                  and qualname.startswith(("tensorflow.image.", "tensorflow.io.")))
def decode_image(ctx: Context, call: LibraryCall) -> Any:
    """``tf.io.decode_jpeg(contents, channels=0)``: (height, width,
    channels), the size unknown until run time; ``channels=0`` keeps the
    file's own channel count, unknown too."""
    channels = call.kwargs.get("channels", call.args[1] if len(call.args) > 1 else 0)
    if dims.is_int(channels) and 1 <= channels <= 4:
        return ctx.new_tensor((None, None, channels), call.node, origin="data", exact=True)
    return ctx.new_tensor((None, None, None), call.node, origin="data")
