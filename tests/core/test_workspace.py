"""Workspaces (core/workspace.py): arrays kept from one call to the next."""

import numpy as np
from gradflow.core.workspace import Workspace, scratch


def test_an_array_is_kept_under_its_name_until_its_shape_or_dtype_changes():
    ws = Workspace()
    a = ws.array("a", (2, 3))
    assert ws.array("a", (2, 3)) is a
    assert ws.array("b", (2, 3)) is not a
    b = ws.array("a", (3, 2))
    assert b.shape == (3, 2) and b is not a and ws.array("a", (3, 2)) is b
    assert ws.array("a", (3, 2), np.int64).dtype == np.int64
    assert scratch(ws, "a", (3, 2), np.int64) is ws.array("a", (3, 2), np.int64)
    assert scratch(None, "a", (2, 3)) is not scratch(None, "a", (2, 3))  # without a workspace: new each time
