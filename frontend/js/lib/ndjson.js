/**
 * Reading a streamed answer (application/x-ndjson): one JSON object a line, delivered as the server writes
 * them. Network chunks end anywhere, mid-line and even mid-character, so text is decoded as a stream and a
 * line is parsed only once its newline has arrived.
 */
import { ApiError, errorFrom } from './api.js';

function parseLine(line) {
  try {
    return JSON.parse(line);
  } catch {
    throw new ApiError(`The server sent a line that is not JSON: ${line.slice(0, 80)}`, 0);
  }
}

/** Yields each JSON object of an NDJSON byte stream (a ReadableStream of Uint8Array chunks), in order. */
export async function* ndjsonObjects(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop(); // the part after the last newline: a line still arriving
      for (const line of lines) if (line.trim()) yield parseLine(line);
    }
    finished = true;
    buffer += decoder.decode();
    if (buffer.trim()) yield parseLine(buffer);
  } finally {
    // a consumer that stops early (or an error) must not leave the connection open
    if (!finished) reader.cancel().catch(() => {});
  }
}

/**
 * POSTs `body` as JSON to `url` and yields the NDJSON answer's objects as they arrive. An error status
 * becomes an ApiError in words (422: the fields and limits; 503: busy, and when to retry). Aborting `signal`
 * closes the connection, which makes the server stop; the pending read rejects with an AbortError.
 */
export async function* postNdjson(url, body, { signal, fetchFn = globalThis.fetch } = {}) {
  yield* fetchNdjson(url, {
    method: 'POST', signal, body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
  }, fetchFn);
}

/**
 * GETs `url` and yields the NDJSON answer's objects as they arrive (a followed run, GET /api/runs/{name}?follow=true,
 * which never ends by itself): aborting `signal` hangs up.
 */
export async function* getNdjson(url, { signal, fetchFn = globalThis.fetch } = {}) {
  yield* fetchNdjson(url, { signal, headers: { Accept: 'application/x-ndjson' } }, fetchFn);
}

async function* fetchNdjson(url, init, fetchFn) {
  let response;
  try {
    response = await fetchFn(url, init);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(`Could not reach the server (${err.message}). Is \`make run\` still running?`, 0);
  }
  if (!response.ok) throw await errorFrom(response);
  if (!response.body) throw new ApiError('The server answered without a body to stream.', response.status);
  yield* ndjsonObjects(response.body);
}
