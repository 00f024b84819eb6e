import test from 'node:test';
import assert from 'node:assert/strict';
import {
  fmt, formatLog10, formatSig, horizonText, powerOfTen,
} from '../../../frontend/js/lib/format.js';
import { LOG10_FLOAT64_MAX } from '../../../frontend/js/lib/shape.js';
import { exportedNames, pageSources } from '../support/sources.mjs';

test('formatLog10 writes magnitudes past float64 exactly', () => {
  assert.equal(formatLog10(0), '1.00e+0');
  assert.equal(formatLog10(-2.5), '3.16e-3');
  assert.equal(formatLog10(412 + Math.log10(3)), '3.00e+412');
  assert.equal(formatLog10(Math.log10(9.999)), '1.00e+1');
  assert.ok(LOG10_FLOAT64_MAX > 308.25 && LOG10_FLOAT64_MAX < 308.26);
});

test('horizon in words', () => {
  assert.equal(horizonText(null, 50), 'beyond the sequence (all 50 steps)');
  assert.equal(horizonText(1, 50), '1 step');
  assert.equal(horizonText(12, 50), '12 steps');
});

test('figures to four significant digits, null past float64', () => {
  assert.equal(fmt(1.234567), '1.235');
  assert.equal(fmt(0), '0.000');
  assert.equal(fmt(null), 'beyond float64');
  assert.equal(formatSig(0.4916, 2), '0.49');
  assert.equal(powerOfTen(-12), '10<sup>-12</sup>');
  assert.equal(powerOfTen(2), '100');
});

test('numbers become text only in format.js', () => {
  const sources = pageSources();
  const formatters = exportedNames(sources['lib/format.js']);
  for (const name of ['fmt', 'formatSig', 'formatLog10', 'powerOfTen', 'horizonText', 'normHover']) {
    assert.ok(formatters.includes(name), `format.js exports ${name}`);
  }
  for (const [path, source] of Object.entries(sources)) {
    if (path === 'lib/format.js') continue;
    const twins = exportedNames(source).filter((n) => formatters.includes(n));
    assert.deepEqual(twins, [], `${path} exports its own ${twins.join(', ')}`);
    // Number(x.toPrecision(3)) rounds a value and keeps it a number (schema.js's slider): not text
    const texts = source.split('\n').filter((line) => /\.(toFixed|toPrecision|toExponential)\(/.test(line)
      && !/Number\(\w+\.toPrecision\(/.test(line));
    assert.deepEqual(texts, [], `${path} turns numbers into text itself`);
  }
});
