import test from 'node:test';
import assert from 'node:assert/strict';
import { exactRuns, wireExports } from '../../../frontend/js/widgets/export-buttons.js';
import { fakeDocument } from '../support/fakedom.mjs';

test('an export fetches every label\'s run again, exactly as asked', async () => {
  const asked = [];
  const get = async (url) => { asked.push(url); return { url }; };
  const runs = await exactRuns({ rnn: 'cell=rnn', gru: 'cell=gru' }, assert.fail, get);
  assert.deepEqual(asked, ['api/simulate?cell=rnn', 'api/simulate?cell=gru']);
  assert.deepEqual(Object.keys(runs), ['rnn', 'gru']);
});

test('a failed fetch is reported in words and exports nothing', async () => {
  const said = [];
  const runs = await exactRuns({ rnn: 'seq_len=5000' }, (m) => said.push(m), async () => { throw new Error('seq_len: at most 1000'); });
  assert.equal(runs, null);
  assert.deepEqual(said, ['The export could not fetch the run: seq_len: at most 1000']);
});

test('the downloads are enabled once there is a run', () => {
  const buttons = Object.fromEntries(['json', 'csv', 'link'].map((k) => [k, fakeDocument.createElement('button')]));
  buttons.json.disabled = true;
  buttons.csv.disabled = true;
  const exports = wireExports(buttons, { current: () => ({ state: {}, queries: {} }), onError: assert.fail });
  assert.ok(['json', 'csv', 'link'].every((k) => buttons[k].listeners.click.length === 1), 'every button answers a click');
  exports.ready();
  assert.equal(buttons.json.disabled, false);
  assert.equal(buttons.csv.disabled, false);
});
