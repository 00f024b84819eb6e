"""The schema of a typed array: what /openapi.json promises a client of arrays=binary."""

import pytest
from gradflow.models.typed import TypedArray
from gradflow.wire.typed import encode
from pydantic import ValidationError


def test_an_encoded_array_is_a_valid_typed_array():
    import numpy as np

    item = TypedArray.model_validate(encode(np.arange(6.0).reshape(2, 3)))
    assert item.dtype == "f8" and item.shape == "2, 3"


def test_other_dtypes_are_not():
    with pytest.raises(ValidationError):
        TypedArray(dtype="f2", bdata="", shape="0")
