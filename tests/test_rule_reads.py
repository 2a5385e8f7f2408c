"""A rule application's argument reads belong to that application: the rule
gets a tracked view of its config (registry.TrackedConfig), a wrapper's inner
layer logs into the wrapper's reads, and nothing is kept in module state."""
from __future__ import annotations

import pytest

from shapelint.shapes import registry
from shapelint.shapes.propagate import infer
from shapelint.shapes.registry import LayerConfig, TrackedConfig, apply_rule, lookup
from shapelint.unknown import UNKNOWN


def dense(units):
    return LayerConfig("Dense", {"units": units})


def lstm_cell(units):
    return LayerConfig("LSTMCell", {"units": units})


@pytest.mark.parametrize("make, shape", [
    (lambda u: LayerConfig("TimeDistributed", {"layer": dense(u)}), (None, 5, 3)),
    (lambda u: LayerConfig("SpectralNormalization", {"layer": dense(u)}), (None, 3)),
    (lambda u: LayerConfig("RNN", {"cell": [lstm_cell(4), lstm_cell(u)]}), (None, 5, 3)),
    (lambda u: LayerConfig("RNN", {"cell": LayerConfig("StackedRNNCells", {"cells": (lstm_cell(u),)})}),
     (None, 5, 3)),
])
def test_an_outer_layer_is_as_exact_as_the_layers_it_holds(make, shape):
    assert infer(make(4), [shape]).exact
    assert not infer(make(UNKNOWN), [shape]).exact


def test_the_reads_go_to_the_application_log():
    reads = []
    out = apply_rule(lookup("TimeDistributed"), LayerConfig("TimeDistributed", {"layer": dense(4)}),
                     [(None, 5, 3)], reads)
    assert out.shape == (None, 5, 4)
    names = [name for name, _ in reads]
    assert names[0] == "layer" and "units" in names and "use_bias" in names


def test_a_plain_config_records_nothing():
    cfg = dense(4)
    assert cfg.get("units") == 4 and not isinstance(cfg, TrackedConfig)
    assert infer(cfg, [(None, 3)]).exact


def test_a_rule_sees_nested_configs_tracked_into_its_own_log():
    seen = {}

    def spy(cfg, inputs):
        inner = cfg.get("layer")
        cells = cfg.get("cells")
        seen.update(outer=cfg, inner=inner, cells=cells)
        return registry.Out([None], None)

    rule = registry.Rule("Spy", spy, ())
    reads = []
    apply_rule(rule, LayerConfig("Spy", {"layer": dense(2), "cells": [lstm_cell(3)]}), [(None, 3)], reads)
    assert isinstance(seen["outer"], TrackedConfig) and seen["outer"].reads is reads
    assert isinstance(seen["inner"], TrackedConfig) and seen["inner"].reads is reads
    assert isinstance(seen["cells"], list) and seen["cells"][0].reads is reads
    assert seen["cells"][0].args == {"units": 3}
    assert [name for name, _ in reads] == ["layer", "cells"]


def test_the_registry_keeps_no_read_state():
    assert not hasattr(registry, "_READS")


def test_a_read_for_the_weights_only_leaves_the_output_exact():
    """Embedding's input_dim sizes the table, never the output (checked
    under Keras in tests/test_exact_reach.py); its output_dim does."""
    out = infer(LayerConfig("Embedding", {"input_dim": UNKNOWN, "output_dim": 4}), [(None, 3)])
    assert out.shape == (None, 3, 4) and out.exact and out.params is None
    assert not infer(LayerConfig("Embedding", {"input_dim": 10, "output_dim": UNKNOWN}), [(None, 3)]).exact
    reads = []
    apply_rule(lookup("Embedding"), LayerConfig("Embedding", {"input_dim": UNKNOWN, "output_dim": 4}),
               [(None, 3)], reads)
    assert ("params:input_dim", UNKNOWN) in reads
