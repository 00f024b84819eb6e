import test from 'node:test';
import assert from 'node:assert/strict';
import { buildDrawer } from '../../../frontend/js/widgets/drawer.js';
import { fakeDocument } from '../support/fakedom.mjs';

// A phone's settings: a drawer that one tap on its toggle opens, and Close or Escape closes, focus following.
function drawer() {
  const focused = [];
  const make = (name) => Object.assign(fakeDocument.createElement('button'), { focus: () => focused.push(name) });
  const toggle = make('toggle');
  const close = make('close');
  const panel = fakeDocument.createElement('aside');
  return { toggle, close, panel, focused, drawer: buildDrawer({ toggle, close, panel }) };
}

test('one tap on the toggle opens the drawer, says so, and puts focus in it; another tap closes it', async () => {
  const { toggle, panel, focused, drawer: d } = drawer();
  assert.equal(d.isOpen(), false);
  await toggle.click();
  assert.equal(panel.classList.contains('open'), true);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  assert.deepEqual(focused, ['close']);
  await toggle.click();
  assert.equal(d.isOpen(), false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(focused, ['close', 'toggle']);
});

test('Close and Escape close it and give focus back to the toggle; other keys do nothing', async () => {
  const { toggle, close, panel, focused, drawer: d } = drawer();
  d.open();
  await close.click();
  assert.equal(d.isOpen(), false);
  d.open();
  await panel.dispatch('keydown', { key: 'a' });
  assert.equal(d.isOpen(), true);
  await panel.dispatch('keydown', { key: 'Escape' });
  assert.equal(d.isOpen(), false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(focused, ['close', 'toggle', 'close', 'toggle']);
  d.close();
  assert.deepEqual(focused, ['close', 'toggle', 'close', 'toggle'], 'closing a closed drawer moves no focus');
});
