"""FileError: the one error of file reading, a ValueError so every caller that refuses bad input catches it."""

import pytest
from gradflow.io import FileError, read_weights
from gradflow.io.errors import FileError as Same


def test_a_file_error_is_a_value_error_with_its_words():
    assert FileError is Same and issubclass(FileError, ValueError)
    with pytest.raises(ValueError, match="x.npz: not a .npz archive"):
        read_weights(b"nothing", "x.npz")
