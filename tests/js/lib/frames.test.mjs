import assert from 'node:assert/strict';
import { test } from 'node:test';

globalThis.requestAnimationFrame ??= (callback) => setTimeout(callback, 5);
const { framePainter, nextFrame } = await import('../../../frontend/js/lib/frames.js');

test('a burst of requests between frames costs one paint, and a request during a paint one more', async () => {
  let paints = 0;
  let release;
  const schedule = framePainter(async () => {
    paints += 1;
    if (paints === 1) await new Promise((resolve) => { release = resolve; });
  });
  for (let k = 0; k < 10; k += 1) schedule();
  await nextFrame();
  await nextFrame();
  assert.equal(paints, 1);
  schedule();
  schedule();
  release();
  await nextFrame();
  await nextFrame();
  await nextFrame();
  assert.equal(paints, 2);
});
