import test from 'node:test';
import assert from 'node:assert/strict';
import { loadWantedSections, sectionFor } from '../../../frontend/js/widgets/sections.js';

// Sections built at once when the first view needs them: the URL holds their settings, or a #hash points in.

function fakeSection(id, specs) {
  const el = { id, closest: (sel) => (sel === 'section.lab' ? el : null) };
  const loads = [];
  return { el, specs, section: el, loads, load: () => loads.push(id) };
}

function fakePage(sections, extra = {}) {
  const ids = { ...Object.fromEntries(sections.map((s) => [s.el.id, s.el])), ...extra };
  const listeners = {};
  const on = (name, fn) => { listeners[name] = fn; };
  return {
    doc: { getElementById: (id) => ids[id] || null, addEventListener: on },
    win: { location: { hash: '' }, addEventListener: on },
    listeners,
  };
}

const LAB = [{ name: 'train_steps', default: 200, kind: 'int' }];
const SWEEP = [{ name: 'sweep_x', default: 'recurrent_scale', kind: 'enum' }];

test('a #hash points into the section that holds its element; a malformed or foreign one nowhere', () => {
  const lab = fakeSection('lab', LAB);
  const sweep = fakeSection('sweep', SWEEP);
  const button = { closest: () => sweep.el };
  const outside = { closest: () => null };
  const { doc } = fakePage([lab, sweep], { 'sweep-start': button, views: outside });
  assert.equal(sectionFor([lab, sweep], '#lab', doc), lab);
  assert.equal(sectionFor([lab, sweep], '#sweep-start', doc), sweep);
  assert.equal(sectionFor([lab, sweep], '#views', doc), undefined);
  assert.equal(sectionFor([lab, sweep], '#%E0%A4%A', doc), undefined, 'malformed');
  assert.equal(sectionFor([lab, sweep], '#', doc), undefined);
});

test('the sections the URL changes, the #hash and a clicked link build at once; the others wait', () => {
  const lab = fakeSection('lab', LAB);
  const sweep = fakeSection('sweep', SWEEP);
  const runs = fakeSection('runs', []);
  const page = fakePage([lab, sweep, runs]);
  page.win.location.hash = '#runs';
  loadWantedSections([lab, sweep, runs], { train_steps: 500, sweep_x: 'recurrent_scale' }, page);
  assert.deepEqual([lab.loads, sweep.loads, runs.loads], [['lab'], [], ['runs']]);
  page.win.location.hash = '#sweep';
  page.listeners.hashchange();
  assert.deepEqual(sweep.loads, ['sweep']);
  const link = { getAttribute: () => '#lab' };
  page.listeners.click({ target: { closest: (sel) => (sel === 'a[href^="#"]' ? link : null) } });
  assert.deepEqual(lab.loads, ['lab', 'lab'], 'a lazySection builds once however often it is asked');
});
