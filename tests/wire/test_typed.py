"""Typed arrays on the wire: `arrays=binary` decodes to exactly the JSON answer's numbers (nulls as NaN, at the
same places), for simulate, train and sweep; binary-f4 to float32 of them; nothing changes without it."""

from __future__ import annotations

import numpy as np
from gradflow.wire.typed import decode, encode, typed_arrays


def same_numbers(plain, typed, path="") -> int:
    """Walks the JSON answer and the typed one together; returns how many arrays were compared as typed."""
    if isinstance(typed, dict) and set(typed) == {"dtype", "bdata", "shape"}:
        got = decode(typed)
        expected = np.array([np.nan if v is None else v for v in np.ravel(np.array(plain, dtype=object))], dtype=float)
        assert got.shape == np.shape(np.array(plain, dtype=object)), path
        np.testing.assert_array_equal(got.ravel().astype(float), expected, err_msg=path)
        return 1
    if isinstance(plain, dict):
        assert set(plain) == set(typed), path
        return sum(same_numbers(plain[k], typed[k], f"{path}.{k}") for k in plain)
    if isinstance(plain, list) and isinstance(typed, list):
        return sum(same_numbers(a, b, f"{path}[{i}]") for i, (a, b) in enumerate(zip(plain, typed)))
    assert plain == typed or (plain != plain and typed != typed), path
    return 0


def test_encode_and_decode_are_inverse_and_wide_integers_stay_json():
    a = np.array([[1.5, np.nan], [-0.0, 1e308]])
    item = encode(a)
    assert item["shape"] == "2, 2" and item["dtype"] == "f8"
    np.testing.assert_array_equal(decode(item), a)
    assert decode(encode(np.array([1, -2, 3]))).tolist() == [1, -2, 3]
    assert encode(np.array([2**40])) == [2**40]
    assert isinstance(typed_arrays({"a": np.zeros(2)}, "json")["a"], np.ndarray)


def test_f4_turns_values_past_float32_into_nan_and_says_so():
    content = {"a": np.array([1.0, 1e300, -1e39]), "warnings": []}
    out = typed_arrays(content, "binary-f4")
    got = decode(out["a"])
    assert got[0] == 1.0 and np.isnan(got[1:]).all()
    assert out["warnings"] == ["a: values beyond float32's range are null (NaN) in binary-f4; arrays=binary keeps them"]
    assert typed_arrays(content, "binary")["warnings"] == []
