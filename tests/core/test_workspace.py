"""Workspaces (core/workspace.py): arrays kept from one call to the next, and that a forward, sweep and gradient
computed in one give the same numbers, bit for bit, as without (a second call overwrites the first's arrays)."""

import numpy as np
import pytest
from gradflow.core.bptt import param_grads, seeds_for_loss, sweep
from gradflow.core.cells import forward
from gradflow.core.workspace import Workspace, scratch

from .reference import CASES, assert_same_bits, seeded_run


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


def _arrays(tr, d, g, gx) -> dict:
    out = {"h": tr.h, "h_exp": tr.h_exp, "dh": d.dh, "dpre": d.dpre, "exp": d.exp, "clipped": d.clipped}
    out.update({f"gate {k}": v for k, v in tr.gates.items()})
    out.update({f"local {k}": v for k, v in tr.local.items()})
    out.update({f"grad {k}": v for k, v in g.m.items()})
    if tr.c is not None:
        out.update(c=tr.c, dc=d.dc)
    if gx is not None:
        out["grad_x"] = gx
    return {k: np.array(v) for k, v in out.items()}  # copies: the workspace's arrays are overwritten


@pytest.mark.parametrize("loss", ["last", "all"])
@pytest.mark.parametrize("cell,activation", CASES)
def test_a_run_in_a_workspace_gives_the_same_numbers_bit_for_bit(cell, activation, loss):
    T, N = 23, 4
    _, params, v, x = seeded_run(cell, activation, loss, T, 5, 3, N, 1)
    seeds = seeds_for_loss(loss, T, N)
    tr = forward(cell, activation, params, x)
    d = sweep(tr, params.weight_hh, v, seeds)
    g, gx = param_grads(tr, params, d)
    plain = _arrays(tr, d, g, gx)
    ws = Workspace()
    for scale in (2.0, 1.0):  # the second run reuses and overwrites the arrays of the first
        p = params if scale == 1.0 else type(params)(*(a * scale for a in params.as_dict().values()))
        tr_ws = forward(cell, activation, p, x, ws=ws)
        d_ws = sweep(tr_ws, p.weight_hh, v, seeds, ws=ws)
        g_ws, gx_ws = param_grads(tr_ws, p, d_ws, ws)
    kept = _arrays(tr_ws, d_ws, g_ws, gx_ws)
    assert kept.keys() == plain.keys()
    for name in plain:
        assert_same_bits(kept[name], plain[name], name)
    assert g_ws.exp == g.exp


def test_blocks_of_local_derivatives_hold_about_local_block_gate_values():
    from gradflow.core.workspace import LOCAL_BLOCK, block_steps

    assert block_steps(32, 4 * 32) == LOCAL_BLOCK // (32 * 128)  # the training benchmark's lstm: 9 steps
    assert block_steps(1, 4 * 256) == LOCAL_BLOCK // 1024
    assert block_steps(64, 4 * 256) == 1, "at least one step, however wide"
