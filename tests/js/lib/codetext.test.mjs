import test from 'node:test';
import assert from 'node:assert/strict';
import { codeNodes, codeRuns } from '../../../frontend/js/lib/codetext.js';
import { FakeText, fakeDocument } from '../support/fakedom.mjs';
import { pageSources } from '../support/sources.mjs';

// The schema's descriptions mark code in backticks, as Markdown does: the Layers help read
// "...; `layers` and `depth_flow` all of them" with the backticks showing.
const LAYERS = "Top-level fields then describe the top layer; `layers` and `depth_flow` all of them";

test('backticks mark code runs; a lone backtick is text', () => {
  assert.deepEqual(codeRuns(LAYERS), [
    { text: 'Top-level fields then describe the top layer; ', code: false },
    { text: 'layers', code: true },
    { text: ' and ', code: false },
    { text: 'depth_flow', code: true },
    { text: ' all of them', code: false },
  ]);
  assert.deepEqual(codeRuns('no code here'), [{ text: 'no code here', code: false }]);
  assert.deepEqual(codeRuns('a `b` c ` d'), [{ text: 'a ', code: false }, { text: 'b', code: true }, { text: ' c ` d', code: false }]);
  assert.deepEqual(codeRuns(''), []);
});

test('code runs become <code> elements and the rest text nodes, markup in the text staying text', () => {
  const nodes = codeNodes(fakeDocument, 'x <b>y</b> `<i>z</i>` end');
  assert.deepEqual(nodes.map((n) => [n.tagName ?? n.nodeName, n.textContent]), [
    ['#text', 'x <b>y</b> '], ['CODE', '<i>z</i>'], ['#text', ' end'],
  ]);
  assert.ok(nodes[0] instanceof FakeText);
  assert.equal(nodes.map((n) => n.textContent).join(''), 'x <b>y</b> <i>z</i> end', 'no backtick is shown');
});

test('the controls write the schema\'s help through codeNodes, and no module parses HTML', () => {
  const sources = pageSources();
  assert.match(sources['widgets/controls.js'], /el\('p', \{ class: 'help', id: helpId \}, \.\.\.codeNodes\(document, help\)\)/);
  for (const [path, source] of Object.entries(sources)) {
    assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|createContextualFragment/, `${path} parses HTML`);
  }
});
