"""Configuration objects of the program's own classes: a dataclass or a
NamedTuple built with arguments holds them (not the class defaults); a class
whose ``__init__`` is a library base's may hold anything.  The widths read
back are compared with what Python computes for the same code; what cannot
be told must not be claimed."""
from __future__ import annotations

from shapelint.engine import analyze_source

SETUP = """\
import dataclasses
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass
class Base:
    units: int = 64
    classes: int = 10


@dataclasses.dataclass(repr=False)
class Wide(Base):
    width: int = 3
    extra: list = field(default_factory=list)

    def doubled(self):
        return self.width * 2


@dataclass
class Derived:
    units: int = 8

    def __post_init__(self):
        self.hidden = self.units * 4


class Shape(NamedTuple):
    height: int
    width: int = 7


small = Base(units=5)
positional = Base(6, 2)
wide = Wide(1, 2, width=9)
derived = Derived(units=3)
shape = Shape(4)
"""

READS = ["small.units", "small.classes", "positional.units", "positional.classes", "wide.units",
         "wide.classes", "wide.width", "wide.doubled()", "derived.hidden", "shape.height", "shape.width",
         "Base().units"]


def _widths(source: str):
    return [r.output_shape[-1] if r.output_shape else None for r in analyze_source(source, "m.py").layers]


def test_fields_are_read_back_as_python_gives_them():
    namespace: dict = {}
    exec(SETUP, namespace)  # pylint: disable=exec-used
    expected = [eval(read, namespace) for read in READS]  # pylint: disable=eval-used
    program = SETUP + "from keras import layers\ninputs = layers.Input((4,))\n" + "".join(
        f"layers.Dense({read})(inputs)\n" for read in READS)
    assert _widths(program) == expected


def test_a_library_base_s_init_may_set_any_attribute():
    program = """\
from some_library import ConfigBase
from keras import layers


class Config(ConfigBase):
    units = 64


inputs = layers.Input((4,))
a = layers.Dense(Config(units=5).units)(inputs)
b = layers.Dense(Config().units)(inputs)
"""
    assert _widths(program) == [None, 64]


ASSIGNED = """\
import os


class Cfg:
    units = 64

    def __init__(self, grow=False):
        self.width = 8
        if grow:
            self.width = 16


class Sub(Cfg):
    pass


Cfg.units = 5
first = Cfg().units
setattr(Cfg, "units", 9)
sub = Sub()
grown = Cfg(grow=True)
"""


def test_class_attributes_set_after_the_class_are_read_back_as_python_gives_them():
    namespace: dict = {}
    exec(ASSIGNED, namespace)  # pylint: disable=exec-used
    reads = ["first", "Cfg.units", "sub.units", "sub.width", "grown.width"]
    expected = [eval(read, namespace) for read in reads]  # pylint: disable=eval-used
    program = ASSIGNED + "from keras import layers\ninputs = layers.Input((4,))\n" + "".join(
        f"layers.Dense({read})(inputs)\n" for read in reads)
    assert _widths(program) == expected


def test_an_attribute_set_where_it_may_not_run_is_not_claimed():
    program = ASSIGNED + """\
from keras import layers
c = Cfg()
if os.environ.get("WIDE"):
    c.width = 32
    Cfg.units = 11
c.count = 1
for _ in os.environ.get("STEPS", ""):
    c.count = c.count + 1
    c.same = 3
inputs = layers.Input((4,))
layers.Dense(c.width)(inputs)
layers.Dense(Cfg.units)(inputs)
layers.Dense(c.count)(inputs)
layers.Dense(c.same)(inputs)
"""
    # c.same: a loop that never ran leaves it unset (reading it raises), so 3
    assert _widths(program) == [None, None, None, 3]


def test_a_project_module_s_attribute_set_by_another_module(tmp_path):
    (tmp_path / "config.py").write_text("UNITS = 64\n\n\ndef units():\n    return UNITS\n", encoding="utf-8")
    main = tmp_path / "main.py"
    main.write_text("""\
import config
from keras import layers

inputs = layers.Input((4,))
layers.Dense(config.units())(inputs)
config.UNITS = 7
layers.Dense(config.UNITS)(inputs)
layers.Dense(config.units())(inputs)
""", encoding="utf-8")
    assert [r.output_shape[-1] for r in analyze_source(main.read_text(encoding="utf-8"), str(main)).layers] \
        == [64, 7, 7]
