import test from 'node:test';
import assert from 'node:assert/strict';
import { draw } from '../../../frontend/js/charts/common.js';
import '../support/plotly-stub.mjs';

// A big heatmap asked to redraw several times while it draws (a slider drag, a display change) draws once more
// with the newest traces, not once per request.
test('a chart draws at most once more while it draws: the newest request wins, every caller resolves with it', async () => {
  const calls = [];
  const finish = [];
  const saved = globalThis.Plotly;
  globalThis.Plotly = {
    react(div, traces) {
      calls.push(traces[0].name);
      return new Promise((resolve) => finish.push(() => resolve(div)));
    },
  };
  try {
    const div = {};
    const first = draw(div, [{ name: 'a' }], {}, 'f');
    await new Promise((r) => setTimeout(r, 0));
    const second = draw(div, [{ name: 'b' }], {}, 'f');
    const third = draw(div, [{ name: 'c' }], {}, 'f');
    assert.equal(second, third, 'the requests in between share one draw');
    finish[0]();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(calls, ['a', 'c'], 'b was never drawn: c replaced it before its turn');
    finish[1]();
    assert.equal(await third, div);
    const other = draw({}, [{ name: 'other chart' }], {}, 'f');
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(calls, ['a', 'c', 'other chart'], 'another chart does not wait');
    finish[2]();
    await other;
  } finally {
    globalThis.Plotly = saved;
  }
});
