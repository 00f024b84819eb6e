/**
 * The export buttons: the run as JSON or CSV (export.js), and the page's link to the clipboard. The runs are
 * fetched again for an export, because the charts got them rounded and a file should hold exact float64.
 */
import { getJson, postJson, sendRequest } from '../lib/api.js';
import { csvFromRuns, download, exportName } from '../lib/export.js';
import { primaryRun } from '../lib/shape.js';

/**
 * {label: response} for `queries` ({label: query or {url, body}}, as api.js sendRequest takes them), or null
 * after onError(message) when a fetch failed.
 */
export async function exactRuns(queries, onError, get = getJson, post = postJson) {
  try {
    const entries = await Promise.all(Object.entries(queries).map(async ([label, q]) => [label, await sendRequest(q, undefined, get, post)]));
    return Object.fromEntries(entries);
  } catch (err) {
    onError(`The export could not fetch the run: ${err.message}`);
    return null;
  }
}

function copyLinkOnClick(button) {
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      button.textContent = 'Link copied';
    } catch {
      button.textContent = 'Copy the address bar';
    }
    setTimeout(() => { button.textContent = 'Copy link'; }, 1500);
  });
}

/**
 * Wires the buttons {json, csv, link}. `current()` gives {state, queries}: the page state and its exact
 * simulate requests (network.js networkRequests with `exact`, so an uploaded network is exported too). Returns {ready()}, which enables the downloads
 * once there is a run to export.
 */
export function wireExports(buttons, { current, onError }) {
  const save = (button, write) => button.addEventListener('click', async () => {
    const { state, queries } = current();
    const runs = await exactRuns(queries, onError);
    if (!runs) return;
    const name = exportName(primaryRun(runs, state.cell).config, state.compare);
    write(runs, state, name);
  });
  save(buttons.json, (runs, state, name) => {
    const body = state.compare ? runs : primaryRun(runs, state.cell);
    download(JSON.stringify(body, null, 1), `${name}.json`, 'application/json');
  });
  save(buttons.csv, (runs, state, name) => download(csvFromRuns(runs), `${name}.csv`, 'text/csv'));
  copyLinkOnClick(buttons.link);
  return {
    ready() {
      buttons.json.disabled = false;
      buttons.csv.disabled = false;
    },
  };
}
