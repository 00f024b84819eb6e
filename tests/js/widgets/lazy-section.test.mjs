import test from 'node:test';
import assert from 'node:assert/strict';
import { NEAR_MARGIN, lazySection, whenNear } from '../../../frontend/js/widgets/lazy-section.js';
import { fakeDocument } from '../support/fakedom.mjs';

// A section below the first view, built from its module when it comes near or something needs it sooner.
const SPECS = [{ name: 'train_cell', default: 'lstm' }, { name: 'train_steps', default: 200 }];

function setup({ fail = false } = {}) {
  const section = fakeDocument.createElement('section');
  const calls = { builds: 0, synced: [], clicked: [] };
  let comeNear = null;
  let stopped = 0;
  const near = (element, callback) => {
    assert.equal(element, section);
    comeNear = callback;
    return () => { stopped += 1; };
  };
  const build = async () => {
    calls.builds += 1;
    if (fail) throw new Error('offline');
    return { sync: (state) => calls.synced.push(state) };
  };
  const errors = [];
  const lazy = lazySection({
    section, specs: SPECS, build, near, onError: (err) => errors.push(err.message),
  });
  return {
    section, lazy, calls, errors, near: () => comeNear(), stopped: () => stopped,
  };
}

/** A click event on `target`, as the capture listener sees it. */
function clickOn(target) {
  const event = { target, prevented: false, stopped: false };
  event.preventDefault = () => { event.prevented = true; };
  event.stopPropagation = () => { event.stopped = true; };
  return event;
}

function button(calls, name, { disabled = false } = {}) {
  const node = { disabled, click: () => calls.clicked.push(name) };
  node.closest = (selector) => (selector === 'button' ? node : null);
  return node;
}

test('nothing is built until the section comes near; then once, showing the latest state', async () => {
  const { section, lazy, calls, near, stopped } = setup();
  assert.equal(section.dataset.module, 'waiting');
  lazy.sync({ train_cell: 'gru' });
  lazy.sync({ train_cell: 'rnn' });
  assert.equal(calls.builds, 0);
  assert.equal(lazy.built(), false);
  near();
  assert.equal(section.dataset.module, 'loading');
  assert.equal(stopped(), 1, 'it stops watching once it loads');
  await lazy.load();
  assert.equal(calls.builds, 1);
  assert.equal(section.dataset.module, 'ready');
  assert.deepEqual(calls.synced, [{ train_cell: 'rnn' }], 'only the latest state, once');
  lazy.sync({ train_cell: 'lstm' });
  assert.deepEqual(calls.synced.at(-1), { train_cell: 'lstm' }, 'built: each sync goes straight through');
  await lazy.load();
  assert.equal(calls.builds, 1, 'load() again builds nothing more');
});

test('load() builds it before it comes near, and a section never synced is built without a sync', async () => {
  const { lazy, calls } = setup();
  const first = lazy.load();
  assert.equal(lazy.load(), first, 'one build however often it is asked for');
  await first;
  assert.equal(calls.builds, 1);
  assert.deepEqual(calls.synced, []);
});

test('its own keys are the specs\' names, known before it is built', () => {
  const { lazy } = setup();
  assert.deepEqual(lazy.specs, SPECS);
  assert.equal(lazy.owns('train_cell'), true);
  assert.equal(lazy.owns('cell'), false);
});

test('a button clicked before it is built is held, and clicked again once it is', async () => {
  const { section, lazy, calls } = setup();
  const [capture] = section.listeners.click;
  const start = button(calls, 'start');
  const event = clickOn(start);
  capture(event);
  capture(clickOn(start)); // a double click is one click held
  assert.equal(event.prevented && event.stopped, true, 'the click goes no further while nothing can answer it');
  assert.deepEqual(calls.clicked, []);
  await lazy.load();
  assert.deepEqual(calls.clicked, ['start']);
  const later = clickOn(start);
  capture(later);
  assert.equal(later.prevented, false, 'once built, clicks go through as they are');
});

test('a click elsewhere in it, or focus, builds it and holds nothing', async () => {
  const { section, lazy, calls } = setup();
  const summary = { closest: () => null };
  const event = clickOn(summary);
  section.listeners.click[0](event);
  assert.equal(event.prevented, false, 'a summary still opens its details');
  assert.equal(section.dataset.module, 'loading');
  await lazy.load();
  assert.deepEqual(calls.clicked, []);

  const other = setup();
  other.section.listeners.focusin[0]({});
  await other.lazy.load();
  assert.equal(other.calls.builds, 1);
});

test('a disabled button is not held', async () => {
  const { section, lazy, calls } = setup();
  section.listeners.click[0](clickOn(button(calls, 'stop', { disabled: true })));
  await lazy.load();
  assert.deepEqual(calls.clicked, []);
});

test('a failed build says why, drops held clicks, and the next need tries again', async () => {
  const { section, lazy, calls, errors } = setup({ fail: true });
  section.listeners.click[0](clickOn(button(calls, 'start')));
  assert.equal(await lazy.load(), null);
  assert.deepEqual(errors, ['offline']);
  assert.equal(section.dataset.module, 'failed');
  assert.equal(lazy.built(), false);
  assert.deepEqual(calls.clicked, []);
  await lazy.load();
  assert.equal(calls.builds, 2);
});

test('whenNear: an observer with a generous margin, called once on the first intersection', () => {
  const made = [];
  class Observer {
    constructor(callback, options) { Object.assign(this, { callback, options, watched: [], disconnected: 0 }); made.push(this); }

    observe(element) { this.watched.push(element); }

    disconnect() { this.disconnected += 1; }
  }
  const element = {};
  let calls = 0;
  const stop = whenNear(element, () => { calls += 1; }, { Observer });
  const [observer] = made;
  assert.deepEqual(observer.watched, [element]);
  assert.equal(observer.options.rootMargin, NEAR_MARGIN);
  assert.match(NEAR_MARGIN, /^\d+% /, 'a margin relative to the window, whatever its size');
  observer.callback([{ isIntersecting: false }]);
  assert.equal(calls, 0);
  observer.callback([{ isIntersecting: true }]);
  assert.equal(calls, 1);
  assert.equal(observer.disconnected, 1);
  stop();
  assert.equal(observer.disconnected, 2);
});

test('whenNear without IntersectionObserver: at once', () => {
  let calls = 0;
  whenNear({}, () => { calls += 1; }, { Observer: undefined });
  assert.equal(calls, 1);
});
