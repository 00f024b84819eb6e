/**
 * Talking to the API: the schema, and simulate requests (GET /api/simulate, or a POST for an uploaded network,
 * see network.js) with abort and ordering.
 *
 * Every URL is relative to the page, so the page works wherever the app mounts it.
 */
import { apiQuery } from './state.js';
import { decodeArrays, isF4Warning, restoreNorms } from './typed.js';

/** Response fields the page draws or exports; asking for only these keeps big runs small. */
export const PAGE_FIELDS = [
  'loss',
  'grad_h_norm', 'grad_h_log10_norm', 'grad_h_log10_abs',
  'grad_c_norm', 'grad_c_log10_norm', 'grad_c_log10_abs',
  'gates', 'flow', 'memory_horizon', 'grad_h_log10_norm_batch',
  'spectrum', 'clipping', 'param_grad_norms', 'param_grad_log10_norms', 'clipped_param_grad_norms',
  'depth_flow', 'weights', 'theory',
];

/**
 * The response fields a state's views need. A stack's `layers` (every layer's arrays) is asked for only while
 * a lower layer is shown: the top-level fields already are the top layer, and `layers` is several times their
 * size.
 */
export function pageFields(state) {
  const lower = Number(state.num_layers) > 1 && state.layer !== undefined && state.layer !== 'top';
  return lower ? [...PAGE_FIELDS, 'layers'] : PAGE_FIELDS;
}

/**
 * The page asks for its arrays as typed arrays (the API's `arrays=binary-f4`, Plotly's own form): float32
 * buffers in base64, decoded natively (typed.js) and handed to Plotly as they are, with no decimal text to write
 * or parse. float32 keeps 7 significant digits; every figure the page prints has at most 5 (log10 with 3
 * decimals, magnitudes as 3.16e+412, gates with 4 decimals, eigenvalues with 5 significant digits), so what it
 * shows matches the exact run. Exports fetch the run again, exact, as JSON.
 */
export const PAGE_ARRAYS = 'binary-f4';

/** A simulate query string with the page's array form added. */
export function pageQuery(query) {
  return `${query}${query ? '&' : ''}arrays=${PAGE_ARRAYS}`;
}

/**
 * The simulate queries for a state, as {label: query}: the chosen cell's, or in compare mode one per cell of
 * the schema's `cell` enum (`apiSpecs`, from schema.js), so a cell the API adds is compared too. `exact`
 * leaves out the page's array form (for exports). `ask` narrows a page request to some views' needs:
 * {fields, flow_steps} (explore/loading.js), the state's own flow_steps where it gives none.
 */
export function simulateQueries(state, apiSpecs, exact = false, ask = null) {
  const fields = ask?.fields || pageFields(state);
  const flow = ask && ask.flow_steps !== undefined ? { flow_steps: ask.flow_steps } : {};
  const query = (overrides) => {
    const q = apiQuery(state, apiSpecs, fields, { ...flow, ...overrides });
    return exact ? q : pageQuery(q);
  };
  if (state.compare !== true) return { [state.cell]: query({}) };
  const cells = apiSpecs.find((s) => s.name === 'cell').values;
  return Object.fromEntries(cells.map((cell) => [cell, query({ cell })]));
}

/** An API failure with a message a person can act on. */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * FastAPI's 422 `detail` (a list of {loc, msg, input}) or a plain string, in words:
 * "seq_len: Input should be less than or equal to 1000 (you gave 5000)".
 */
export function describeDetail(detail) {
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return JSON.stringify(detail);
  return detail
    .map((item) => {
      const loc = (item.loc || []).filter((p) => !['query', 'body'].includes(p)).join('.');
      const msg = String(item.msg || '');
      // the API's own messages may already name the field and the value; say each only once
      const named = loc && msg.includes(loc);
      const hasInput = 'input' in item && item.input !== null && typeof item.input !== 'object';
      const given = hasInput && !msg.includes(String(item.input)) ? ` (you gave ${item.input})` : '';
      return loc && !named ? `${loc}: ${msg}${given}` : `${msg}${given}`;
    })
    .join('\n');
}

/** "Try again in 5 s." from a Retry-After header in seconds; '' without one. */
function retryText(response) {
  const seconds = Number(response.headers?.get?.('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${seconds} s.` : '';
}

/**
 * Why a response failed, from its JSON body when there is one; a busy server (503) says when to retry,
 * unless its own message already does.
 */
export async function errorFrom(response) {
  let text = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && 'detail' in body) text = describeDetail(body.detail);
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 503 && !/retry|try again/i.test(text)) text = `The server is busy (${text}).${retryText(response)}`;
  return new ApiError(text, response.status);
}

/** fetch() for a JSON answer; network trouble and error statuses become ApiError. */
async function fetchJson(url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(`Could not reach the server (${err.message}). Is \`make run\` still running?`, 0);
  }
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/** GET a JSON document. */
export function getJson(url, signal) {
  return fetchJson(url, { signal });
}

/** POST `body`: a FormData goes as multipart/form-data (the browser writes the boundary), anything else as JSON. */
export function postJson(url, body, signal) {
  if (body instanceof FormData) return fetchJson(url, { method: 'POST', body, signal });
  return fetchJson(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, signal });
}

/**
 * Sends one simulate request: a query string by GET (cacheable by ETag), a {url, body} by POST. `get` and
 * `post` are getJson and postJson, or stand-ins in tests.
 */
export function sendRequest(request, signal, get = getJson, post = postJson) {
  return typeof request === 'string' ? get(`api/simulate?${request}`, signal) : post(request.url, request.body, signal);
}

/** GETs a file the app serves (an example network) as a File named `name`; error statuses become ApiError. */
export async function fetchFile(url, name, fetchFn = globalThis.fetch) {
  let response;
  try {
    response = await fetchFn(url);
  } catch (err) {
    throw new ApiError(`Could not reach the server (${err.message}).`, 0);
  }
  if (!response.ok) throw await errorFrom(response);
  return new File([await response.blob()], name);
}

/** The OpenAPI document, where the request fields' bounds and defaults live. */
export function fetchSchema() {
  return getJson('openapi.json');
}

/**
 * The page's own answer, read: typed arrays decoded (typed.js), norms float32 cannot hold taken again from
 * their exact log10 (restoreNorms), and the warnings about them, which describe the page's transport and not
 * the run, left out.
 */
export function readAnswer(answer) {
  const run = decodeArrays(answer);
  if (run && typeof run === 'object') {
    restoreNorms(run);
    (run.layers || []).forEach(restoreNorms);
    if (Array.isArray(run.warnings)) run.warnings = run.warnings.filter((w) => !isF4Warning(w));
  }
  return run;
}

/**
 * Runs simulations so that only the newest request of a group is ever delivered: starting a request aborts the
 * one before in the same group (at most one in flight per group), and an answer whose sequence number is no
 * longer its group's is dropped even if it arrived. Groups (the page's: 'near', 'rest', 'flow'; see
 * explore/loading.js) run side by side. Answers come back read (readAnswer).
 */
export class Simulator {
  constructor(get = getJson, post = postJson) {
    this.get = get;
    this.post = post;
    this.groups = new Map();
  }

  group(name) {
    if (!this.groups.has(name)) this.groups.set(name, { seq: 0, controller: null });
    return this.groups.get(name);
  }

  /** Drops a group's request in flight, if any: its run() resolves to null. */
  abort(name = 'main') {
    const g = this.group(name);
    g.seq += 1;
    if (g.controller) g.controller.abort();
    g.controller = null;
  }

  /** Whether a group has a request in flight. */
  busy(name = 'main') {
    return this.group(name).controller !== null;
  }

  /**
   * Fetches every request of `queries` ({label: queryString or {url, body}}, see sendRequest) together, in
   * `group`. Resolves to {label: response}, or to null when a newer call in the group (or abort) has
   * superseded this one.
   */
  async run(queries, group = 'main') {
    const g = this.group(group);
    g.seq += 1;
    const mine = g.seq;
    if (g.controller) g.controller.abort();
    const controller = new AbortController();
    g.controller = controller;
    try {
      const entries = await Promise.all(
        Object.entries(queries).map(async ([label, q]) => [label, await sendRequest(q, controller.signal, this.get, this.post)]),
      );
      return mine === g.seq ? Object.fromEntries(entries.map(([label, answer]) => [label, readAnswer(answer)])) : null;
    } catch (err) {
      if (err.name === 'AbortError' || mine !== g.seq) return null;
      throw err;
    } finally {
      if (g.controller === controller) g.controller = null;
    }
  }
}
