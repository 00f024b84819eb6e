// A stand-in for Plotly.js, so the chart modules run under node: Plotly.react records what it was given.
// common.js's plotlyReady() takes globalThis.Plotly when it is there, as in the page once the bundle loaded.
globalThis.Plotly = {
  react(div, traces, layout, config) {
    Object.assign(div, { data: traces, layout, config });
    return div;
  },
};

/** What a chart module drew into a fresh stand-in div: {data, layout, config}. */
export async function drawn(drawChart, ...args) {
  const div = {};
  await drawChart(div, ...args);
  return div;
}

/** The panel titles (annotations) of a drawn chart, in order. */
export function titles(div) {
  return (div.layout.annotations || []).map((a) => a.text);
}
