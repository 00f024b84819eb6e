import test from 'node:test';
import assert from 'node:assert/strict';
import { fetchFile } from '../../../frontend/js/lib/api.js';
import { getNdjson, ndjsonObjects, postNdjson } from '../../../frontend/js/lib/ndjson.js';

const bytes = (text) => new TextEncoder().encode(text);

/** A byte stream delivering `chunks` (strings or byte arrays) one read at a time; records whether it was cancelled. */
function streamOf(chunks) {
  const queue = chunks.map((c) => (typeof c === 'string' ? bytes(c) : c));
  const seen = { cancelled: false };
  const stream = new ReadableStream({
    pull(controller) {
      if (queue.length) controller.enqueue(queue.shift());
      else controller.close();
    },
    cancel() { seen.cancelled = true; },
  });
  return { stream, seen };
}

async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

test('lines split anywhere across chunks, even inside a character, come out whole and in order', async () => {
  const text = '{"type":"progress","step":1,"warnings":["exact zero … at t = 1"]}\n\n{"type":"summary","solved":true}\n';
  const all = bytes(text);
  const ellipsis = text.indexOf('…');
  const cut = new TextEncoder().encode(text.slice(0, ellipsis)).length + 1; // inside the three bytes of '…'
  const { stream } = streamOf([all.slice(0, 5), all.slice(5, cut), all.slice(cut, cut + 40), all.slice(cut + 40)]);
  const objects = await collect(ndjsonObjects(stream));
  assert.deepEqual(objects, [
    { type: 'progress', step: 1, warnings: ['exact zero … at t = 1'] },
    { type: 'summary', solved: true },
  ]);
});

test('a last line without its newline still counts; a line that is not JSON is an error in words', async () => {
  assert.deepEqual(await collect(ndjsonObjects(streamOf(['{"a":1}\n{"b"', ':2}']).stream)), [{ a: 1 }, { b: 2 }]);
  await assert.rejects(collect(ndjsonObjects(streamOf(['{"a":1}\nnot json\n']).stream)), /not JSON: not json/);
});

test('a reader that stops early cancels the stream, so the connection closes', async () => {
  const { stream, seen } = streamOf(['{"a":1}\n{"a":2}\n', '{"a":3}\n']);
  for await (const obj of ndjsonObjects(stream)) {
    assert.deepEqual(obj, { a: 1 });
    break;
  }
  assert.equal(seen.cancelled, true);
});

/** A fetch stand-in answering `response`, recording what it was asked. */
function fakeFetch(response) {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, init });
    return typeof response === 'function' ? response(init) : response;
  };
  return { fetchFn, calls };
}

test('posts the body as JSON and yields the streamed objects', async () => {
  const { fetchFn, calls } = fakeFetch(new Response(streamOf(['{"type":"progress","step":1}\n{"type":"sum', 'mary"}\n']).stream, {
    status: 200, headers: { 'Content-Type': 'application/x-ndjson' },
  }));
  const objects = await collect(postNdjson('api/train', { cell: 'gru', steps: 5 }, { fetchFn }));
  assert.deepEqual(objects.map((o) => o.type), ['progress', 'summary']);
  assert.equal(calls[0].url, 'api/train');
  assert.equal(calls[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(calls[0].init.body), { cell: 'gru', steps: 5 });
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
});

test('422 and 503 answers read as sentences: the field and its limit; busy, and when to try again', async () => {
  const detail = [{ loc: ['body', 'steps'], msg: 'Input should be less than or equal to 20000', input: 50000 }];
  const bad = fakeFetch(Response.json({ detail }, { status: 422 }));
  await assert.rejects(collect(postNdjson('api/train', {}, { fetchFn: bad.fetchFn })), (err) => {
    assert.equal(err.status, 422);
    assert.equal(err.message, 'steps: Input should be less than or equal to 20000 (you gave 50000)');
    return true;
  });
  const busy = fakeFetch(Response.json({ detail: 'all 2 training slots are busy' }, { status: 503, headers: { 'Retry-After': '5' } }));
  await assert.rejects(collect(postNdjson('api/train', {}, { fetchFn: busy.fetchFn })), (err) => {
    assert.equal(err.message, 'The server is busy (all 2 training slots are busy). Try again in 5 s.');
    return true;
  });
  const worded = fakeFetch(Response.json({ detail: 'Busy: all 2 training slots are busy. Retry in 5 s.' }, { status: 503, headers: { 'Retry-After': '5' } }));
  await assert.rejects(collect(postNdjson('api/train', {}, { fetchFn: worded.fetchFn })), { message: 'Busy: all 2 training slots are busy. Retry in 5 s.' });
});

test('an unreachable server is an error in words; an abort stays an AbortError', async () => {
  const down = async () => { throw new TypeError('fetch failed'); };
  await assert.rejects(collect(postNdjson('api/train', {}, { fetchFn: down })), /Could not reach the server \(fetch failed\)/);
  const controller = new AbortController();
  const { fetchFn } = fakeFetch((init) => new Response(new ReadableStream({
    start(c) {
      c.enqueue(bytes('{"step":1}\n'));
      init.signal.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
    },
  })));
  const seen = [];
  await assert.rejects(async () => {
    for await (const obj of postNdjson('api/train', {}, { signal: controller.signal, fetchFn })) {
      seen.push(obj);
      controller.abort();
    }
  }, { name: 'AbortError' });
  assert.deepEqual(seen, [{ step: 1 }]);
});

test('a followed run is a GET whose lines arrive as written; a 404 reads in words', async () => {
  const { stream } = streamOf(['{"type":"meta","name":"exp1"}\n{"type":"snap', 'shot","step":0}\n']);
  const { fetchFn, calls } = fakeFetch(new Response(stream, { headers: { 'Content-Type': 'application/x-ndjson' } }));
  const objects = await collect(getNdjson('api/runs/exp1?follow=true', { fetchFn }));
  assert.deepEqual(objects, [{ type: 'meta', name: 'exp1' }, { type: 'snapshot', step: 0 }]);
  assert.equal(calls[0].url, 'api/runs/exp1?follow=true');
  assert.equal(calls[0].init.method, undefined, 'a GET');
  assert.equal(calls[0].init.headers.Accept, 'application/x-ndjson');
  const missing = fakeFetch(Response.json({ detail: "No run named 'gone' in the runs directory." }, { status: 404 }));
  await assert.rejects(collect(getNdjson('api/runs/gone?follow=true', { fetchFn: missing.fetchFn })), {
    message: "No run named 'gone' in the runs directory.",
  });
});

test('an example network is fetched as a File under its own name; a missing one reads in words', async () => {
  const file = await fetchFile('api/networks/x.safetensors', 'x.safetensors', async () => new Response(new Uint8Array([1, 2, 3])));
  assert.equal(file.name, 'x.safetensors');
  assert.deepEqual([...new Uint8Array(await file.arrayBuffer())], [1, 2, 3]);
  await assert.rejects(
    fetchFile('api/networks/y.safetensors', 'y.safetensors', async () => Response.json({ detail: 'No example network' }, { status: 404 })),
    { message: 'No example network' },
  );
});
