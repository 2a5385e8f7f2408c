"""The images family against OpenCV and Pillow themselves: each program
reads real image files (written here) through the evaluator and through
Python, and every array the evaluator claims agrees with the real one (a
None is a size the code does not show); where the library raises or the
shape depends on the file, nothing is claimed."""
from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")
Image = pytest.importorskip("PIL.Image")

from shapelint.frontend.values import Array  # noqa: E402


@pytest.fixture(scope="module", name="files")
def files_fixture(tmp_path_factory):
    """A 37x53 color PNG, a grayscale PNG, an RGBA PNG and a JPEG."""
    folder = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    paths = {}
    for name, array, fmt in [("rgb.png", rng.integers(0, 255, (37, 53, 3), dtype=np.uint8), "PNG"),
                             ("gray.png", rng.integers(0, 255, (37, 53), dtype=np.uint8), "PNG"),
                             ("rgba.png", rng.integers(0, 255, (37, 53, 4), dtype=np.uint8), "PNG"),
                             ("photo.jpg", rng.integers(0, 255, (37, 53, 3), dtype=np.uint8), "JPEG")]:
        path = folder / name
        Image.fromarray(array).save(path, fmt)
        paths[name] = str(path)
    return paths


def evaluate(source):
    from shapelint.frontend.evaluator import Evaluator  # pylint: disable=import-outside-toplevel
    from shapelint.frontend.parsing import parse  # pylint: disable=import-outside-toplevel

    evaluator = Evaluator(parse(source))
    evaluator.exec_block(evaluator.module.body, evaluator.module_env)
    return evaluator.module_env.vars


HEAD = "import cv2\nimport numpy as np\nfrom PIL import Image\nimport keras\n"

# (program, names it binds, the shapes claimed for them: None = not claimed)
PROGRAMS = [
    ("a = cv2.imread(RGB)\nb = cv2.imread(RGB, cv2.IMREAD_GRAYSCALE)\nc = cv2.imread(RGB, 0)\n"
     "d = cv2.imread(GRAY)\ne = cv2.imread(JPG, cv2.IMREAD_COLOR)\nf = cv2.imread(RGB, cv2.IMREAD_REDUCED_GRAYSCALE_2)\n"
     "g = cv2.imread(RGBA, cv2.IMREAD_UNCHANGED)\nh = cv2.imread(RGB, 1)\n",
     {"a": (None, None, 3), "b": (None, None), "c": (None, None), "d": (None, None, 3), "e": (None, None, 3),
      "f": (None, None), "g": None, "h": (None, None, 3)}),
    ("img = cv2.imread(RGB)\na = cv2.resize(img, (40, 30))\nb = cv2.resize(cv2.imread(GRAY, 0), (28, 28))\n"
     "c = cv2.resize(img, None, fx=0.5, fy=0.5)\nd = cv2.resize(img, (0, 0), fx=2, fy=2)\n"
     "e = cv2.resize(np.zeros((20, 20, 1), np.uint8), (8, 6))\nf = cv2.resize(img, dsize=(64, 64))\n",
     {"a": (30, 40, 3), "b": (28, 28), "c": (None, None, 3), "d": (None, None, 3), "e": (6, 8), "f": (64, 64, 3)}),
    ("img = cv2.imread(RGB)\na = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)\nb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)\n"
     "c = cv2.cvtColor(a, cv2.COLOR_GRAY2BGR)\nd = cv2.cvtColor(img, cv2.COLOR_BGR2RGBA)\n"
     "e = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)\nf = cv2.cvtColor(cv2.resize(img, (32, 24)), cv2.COLOR_RGB2GRAY)\n",
     {"a": (None, None), "b": (None, None, 3), "c": (None, None, 3), "d": (None, None, 4), "e": (None, None, 3),
      "f": (24, 32)}),
    ("a = np.array(Image.open(RGB))\nb = np.array(Image.open(RGB).convert('L'))\n"
     "c = np.asarray(Image.open(GRAY).convert('RGB'))\nd = np.array(Image.open(RGB).convert('RGBA'))\n"
     "e = np.array(Image.open(JPG).resize((40, 30)).convert('L'))\n"
     "f = np.asarray(Image.open(RGB).convert('RGB').resize((64, 48)))\n"
     "g = np.array(Image.fromarray(np.zeros((20, 10), np.uint8)))\n"
     "h = np.array(Image.fromarray(np.zeros((20, 10, 3), np.uint8)).resize((5, 4)))\n"
     "i = np.array(keras.utils.load_img(RGB, color_mode='grayscale', target_size=(30, 40)))\n"
     "j = np.array(Image.open(GRAY).convert('P'))\n",
     {"a": None, "b": (None, None), "c": (None, None, 3), "d": (None, None, 4), "e": (30, 40),
      "f": (48, 64, 3), "g": (20, 10), "h": (4, 5, 3), "i": (30, 40), "j": None}),
]


@pytest.mark.parametrize("source, expected", PROGRAMS)
def test_images_as_the_library_reads_them(source, expected, files):
    constants = {"RGB": files["rgb.png"], "GRAY": files["gray.png"], "RGBA": files["rgba.png"],
                 "JPG": files["photo.jpg"]}
    program = HEAD + "".join(f"{k} = {v!r}\n" for k, v in constants.items()) + source
    real: dict = {}
    exec(compile(program, "images.py", "exec"), real)  # pylint: disable=exec-used
    ours = evaluate(program)
    for name, claimed in expected.items():
        truth = real[name]
        value = ours.get(name)
        if claimed is None:
            assert not isinstance(value, Array) or value.shape is None, (name, value)
            continue
        assert isinstance(value, Array) and value.shape == claimed, (name, value, truth.shape)
        assert len(truth.shape) == len(claimed), (name, truth.shape)
        assert all(c is None or c == t for c, t in zip(claimed, truth.shape)), (name, claimed, truth.shape)
        assert truth.dtype == np.uint8 and value.dtype == "int", (name, truth.dtype, value.dtype)


def test_cvtcolor_of_an_image_of_other_channels_is_not_claimed(files):
    """OpenCV refuses BGR2GRAY on a one-channel image: no claim."""
    program = HEAD + f"g = cv2.imread({files['gray.png']!r}, 0)\nbad = cv2.cvtColor(g, cv2.COLOR_BGR2GRAY)\n"
    with pytest.raises(cv2.error):
        exec(compile(program, "images.py", "exec"), {})  # pylint: disable=exec-used
    value = evaluate(program).get("bad")
    assert not isinstance(value, Array) or value.shape is None
