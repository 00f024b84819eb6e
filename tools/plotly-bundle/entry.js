// The Plotly.js the page loads (GET /vendor/plotly.min.js): plotly.js's core and the trace types the page draws,
// nothing else. `make vendor-plotly` bundles this file with esbuild (build.mjs) into
// backend/gradflow/api/static/vendor/plotly-cartesian.min.js, a classic script that sets window.Plotly.
//
// The core brings the scatter trace, the cartesian axes, the plot API (Plotly.react), hover and click events,
// the legend, annotations, shapes, colour scales and colour bars, the modebar with its PNG export, and the
// decoding of typed arrays ({dtype, bdata, shape}). Add a trace type here when the page starts drawing one:
// tests/test_plotly_bundle.py fails until it is in the bundle.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'), // charts/clipping.js
    require('plotly.js/lib/heatmap'), // the flow, gate, unrolled and sweep maps
    require('plotly.js/lib/contour'), // charts/sweep.js: the critical border over the sweep's map
]);

module.exports = Plotly;
