/**
 * The API's descriptions mark code the way Markdown does, in backticks (`layers`). The page shows them as text
 * with those runs in <code>, built as nodes: a description is never parsed as HTML.
 */

/** `text` cut at its backticks into runs [{text, code}], code true between a pair; a lone backtick stays text. */
export function codeRuns(text) {
  const parts = String(text).split('`');
  // an even number of parts means an odd number of backticks: the last one has no partner, so it is text
  const unpaired = parts.length % 2 === 0 ? parts.splice(-2, 2).join('`') : null;
  const runs = parts.map((part, k) => ({ text: part, code: k % 2 === 1 }));
  if (unpaired !== null) runs.push({ text: unpaired, code: false });
  // neighbouring text runs merge, and empty runs go
  return runs.reduce((out, run) => {
    const last = out[out.length - 1];
    if (run.text === '') return out;
    if (last && !last.code && !run.code) last.text += run.text;
    else out.push({ ...run });
    return out;
  }, []);
}

/** `text` as nodes of `doc`: text nodes, and a <code> element (its textContent set) for each run in backticks. */
export function codeNodes(doc, text) {
  return codeRuns(text).map((run) => {
    if (!run.code) return doc.createTextNode(run.text);
    const code = doc.createElement('code');
    code.textContent = run.text;
    return code;
  });
}
