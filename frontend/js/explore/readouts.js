/**
 * The page's words about a run: the memory-horizon line, the clipping and spectrum readouts, the
 * explanations above the unrolled, gates and depth views, which change with the cell and the mode, and what
 * the "Your network" control says about the weights. Pure except `writeReadouts`, which puts them into the page.
 */
import { fmt, formatFixed, formatLog10, formatSig, horizonText } from '../lib/format.js';
import { layerTag } from '../lib/layers.js';
import { cellMeta } from '../lib/meta.js';
import { primaryRun } from '../lib/shape.js';
import { boundGap, measuredDecay, predictedDecay } from '../lib/theory.js';

export const EXPLAIN = {
  unrolled: {
    single: 'Each column is one time step of the unrolled network and each row one hidden unit; the colour is log10 |dL/dh_t|, how far the loss would move if that unit moved at that moment. The strip below is the chain itself, one box per step coloured by the length of the whole gradient vector, so you can watch the signal fade or flare as it travels back from the loss.',
    lstm: 'The first panel is log10 |dL/dh_t| for every time step and hidden unit, the second the same for the cell state, log10 |dL/dc_t|, the path the LSTM was built around. The strips underneath are the two chains, one box per step coloured by the gradient norm: see how much further back the cell chain stays bright.',
    compare: 'The same seed, sizes and inputs run through a plain RNN, an LSTM and a GRU, each panel showing log10 |dL/dh_t| for every time step and hidden unit. With the shared colour scale the three pictures can be compared box for box along the chain strips underneath.',
  },
  gates: {
    lstm: 'Each panel holds one gate for every unit and step: the sigmoid gates run from 0 (shut) to 1 (open), the candidate g from -1 to 1. One step back along the cell path multiplies dL/dc_t by the forget gate f and by nothing else, so wherever f stays close to 1 the gradient next to it stays bright far into the past.',
    gru: 'Each panel holds one gate for every unit and step: r and z run from 0 to 1, the candidate n from -1 to 1. The update gate z is the GRU\'s shortcut, because h_t keeps the fraction z of h_(t-1) as it is, so where z is near 1 the gradient dL/dh_t next to it passes back almost untouched.',
    compare: 'Both gated cells run with the same seed, sizes and inputs, and every panel is titled by its cell. Each cell\'s panels start with the gate that carries memory, the LSTM\'s forget gate f or the GRU\'s update gate z, next to the gradient it multiplies (dL/dc_t or dL/dh_t, on one shared colour scale), then the other gates. Sigmoid gates run from 0 (shut) to 1 (open), the candidates g and n from -1 to 1; wherever the carrying gate stays close to 1, the gradient next to it stays bright far into the past.',
    rnn: 'A vanilla RNN has no gates: every step back goes through W_hh and the slope of the activation, nothing else. Choose lstm or gru, or turn on compare mode, to see how gates open a gentler path.',
  },
  depth: 'One row per layer, the bottom layer (the one reading the inputs) at the bottom, one column per time step; the colour is log10 |dL/dh_t| of that layer\'s hidden state. The loss reads the top layer at the end, so the gradient comes in at the top right and travels two ways: left, back through time within a layer, and down, into the layer below at the same step. If the lower rows go dark sooner than the top one, depth is costing gradient as well as time. The framed row is the layer the other views show; Layer shown picks another.',
  network: {
    hint: 'See a network you trained: torch.save(model.rnn.state_dict(), "net.pt") (read without running it), a Keras .keras or .weights.h5, or its arrays in PyTorch\'s state_dict names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then _l1 for the next layer) as .npz, .safetensors or .json. Its cell, hidden size, layers and input size are read from the file and the controls move to them. The file stays in this tab: a reload or a shared link brings back seeded weights.',
    shape: 'Read from your file.',
    inputs: 'Optional: one row per time step, one number per input. A .csv or .json also sets the sequence length and input size; a .npy needs a weights file beside it.',
    compareOff: 'Off while your network is loaded: compare runs three seeded cells, and your file is one network.',
    forgotten: 'This address named an uploaded file, but files never travel in an address: these are seeded weights and generated inputs again. Pick the file to see your network.',
    refused: 'The server did not run it: its words are at the top of the charts.',
    staleFile: (name) => `Showing the previous network: ${name} was refused, so the greyed charts below are not it.`,
    staleSettings: 'Showing the previous settings: these could not be run, so the greyed charts below are not them.',
    loadingExample: (name) => `Fetching the example ${name}…`,
    npyAlone: 'A .npy inputs file can only go to the server with a weights file: load the weights first, or save the inputs as .csv or .json.',
  },
};

/**
 * Below this forget-gate bias the lstm's forget gate starts near σ(0) = 0.5, PyTorch's default (bias 0);
 * the usual advice is a bias of 1 to 3, which starts f near 0.73 to 0.95.
 */
const LOW_FORGET_BIAS = 1;

/** Mean of the non-null entries of a T x H array, or null when there are none. */
function meanOf(rows) {
  const values = rows.flat().filter((v) => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Comparing: why the lstm remembers fewer steps than the rnn, when a low forget-gate bias is the reason
 * (the lstm's surprise in compare mode with default settings). '' when the lstm keeps up or its bias is high.
 */
export function forgetBiasNote(runs) {
  const { rnn, lstm } = runs;
  if (!rnn || !lstm) return '';
  const reach = (r) => r.memory_horizon ?? Infinity; // null: the gradient outlasts the sequence
  const bias = lstm.config.forget_bias;
  if (!(reach(lstm) < reach(rnn)) || !(bias < LOW_FORGET_BIAS)) return '';
  const f = lstm.gates?.f ? meanOf(lstm.gates.f) : null;
  const why = bias === 0 ? "a forget-gate bias of 0 (PyTorch's default)" : `a forget-gate bias of ${bias}`;
  const level = f === null ? 'well below 1' : `at about ${formatSig(f, 2)} on average`;
  return `The lstm forgets sooner than the rnn here because ${why} keeps its forget gate f ${level}, `
    + 'and every step back along the cell path multiplies dL/dc_t by f; raise the Forget-gate bias (forget_bias) '
    + 'to 1–3 to hold f near 1 and open the cell path.';
}

/**
 * "Memory horizon: 12 steps" or, comparing, "rnn 12 steps · lstm 40 steps · gru beyond the sequence", with
 * forgetBiasNote's sentence after it when the lstm falls short for want of a forget-gate bias. `tag` names
 * the layer shown in a stack ("layer 1 of 3").
 */
export function horizonLine(runs, tag = '') {
  const labels = Object.keys(runs);
  const text = (r) => horizonText(r.memory_horizon, r.config.seq_len);
  const head = tag ? `Memory horizon (${tag})` : 'Memory horizon';
  if (labels.length === 1) return `${head}: ${text(runs[labels[0]])}`;
  const line = `${head}: ${labels.map((l) => `${l} ${text(runs[l])}`).join(' · ')}`;
  const note = forgetBiasNote(runs);
  return note ? `${line}. ${note}` : line;
}

const log10Of = (v) => (typeof v === 'number' && v > 0 ? Math.log10(v) : null);

/**
 * Why clipping in the bptt scope left a parameter's gradient above the threshold, or '' when it did not: it
 * bounds the backward flow dL/dh_t, and a weight's gradient is a sum over the steps of dL/da_t times the
 * step's input (h_(t-1) for weight_hh), as large as the forward states. `after`: the gradient norms after
 * clipping by parameter; `config`: the run's, to name the growth of a linear rnn's states.
 */
export function bpttNote(c, after, config) {
  if (!c || c.scope !== 'bptt' || c.mode === 'none' || !(c.clipped_total_norm > c.threshold)) return '';
  const [name, norm] = Object.entries(after || {}).filter(([, v]) => typeof v === 'number').sort((a, b) => b[1] - a[1])[0] || [];
  const largest = name ? ` (${name}'s is ${formatLog10(log10Of(norm))})` : '';
  const grows = config?.cell === 'rnn' && config.activation === 'linear' && config.init === 'orthogonal' && config.recurrent_scale > 1
    ? `, which in this linear rnn grow by s = ${config.recurrent_scale} at every step` : '';
  return `The gradients stay above ${c.threshold}${largest} because clipping in the bptt scope bounds the backward flow dL/dh_t, `
    + 'not the weight gradients: a weight\'s gradient adds up dL/da_t times its step\'s input over every step '
    + `(h_(t-1) for weight_hh), so it is as large as the forward states h_t${grows}. `
    + 'To bound the update itself, clip the parameters (Clip what: parameters).';
}

/** What clipping did, from the API's `clipping` report; `after` and `config` as bpttNote takes them. */
export function clippingText(c, afterByName = null, config = null) {
  if (!c || c.mode === 'none') return 'Clipping is off: the gradients below are what backpropagation produced.';
  const total = formatLog10(c.total_norm_log10 ?? log10Of(c.total_norm));
  if (c.scope === 'bptt') {
    const clipped = typeof c.clipped_total_norm === 'number' ? ` without clipping, ${formatLog10(log10Of(c.clipped_total_norm))} with it` : '';
    const line = `Clipping dL/dh_t by ${c.mode} at ${c.threshold} during backpropagation: ${c.clipped_steps ?? 0} of the steps were clipped; parameter gradient norm ${total}${clipped}.`;
    const note = bpttNote(c, afterByName, config);
    return note ? `${line} ${note}` : line;
  }
  const after = c.clipped_total_norm === null ? 'beyond float64' : formatLog10(c.clipped_total_norm > 0 ? Math.log10(c.clipped_total_norm) : null);
  const scale = c.scale === null || c.scale === undefined ? '' : `, scale ×${formatSig(c.scale, 3)}`;
  return `Global gradient norm ${total} before, ${after} after clipping by ${c.mode} at ${c.threshold}${scale}.`;
}

/** Spectral radius and largest singular value of W_hh, and of every gate block when there are several. */
export function spectrumText(spectrum) {
  if (!spectrum) return '';
  const blocks = spectrum.blocks || {};
  const parts = Object.entries(blocks).map(([g, b]) => (g === 'h' ? '' : `${g}: ρ ${fmt(b.spectral_radius)}, σ ${fmt(b.max_singular_value)}`)).filter(Boolean);
  const main = `Spectral radius ρ = ${fmt(spectrum.spectral_radius)} · largest singular value σ_max = ${fmt(spectrum.max_singular_value)}`;
  return parts.length ? `${main} (per block: ${parts.join('; ')})` : main;
}

/** "decay 0.0253" or, where the norm grows going back, "growth 0.0268": orders of magnitude per step back. */
function perStep(slope) {
  return `${slope >= 0 ? 'decay' : 'growth'} ${formatFixed(Math.abs(slope), 4)}`;
}

/**
 * How far one run's measurement sits from its theory (docs/theory.md): the measured decay of log10 |dL/dh_t| per
 * step back (least squares over t from 10% to 90% of T) against the mean field's; the gap below Pascanu's bound
 * at step 1; for a gated cell, the direct path's prediction at step 1 against the measured gradient it
 * carries (dL/dc_1 for the lstm, dL/dh_1 for the gru). '' when the run has no theory.
 */
export function theoryText(run) {
  const th = run.theory;
  if (!th) return '';
  const parts = [];
  const fit = measuredDecay(run.grad_h_log10_norm);
  const predicted = predictedDecay(th.mean_field, run.config.loss);
  if (fit && predicted !== null) {
    const mf = th.mean_field;
    parts.push(`measured ${perStep(fit.slope)} per step back (log10 |dL/dh_t|, least squares over t = ${fit.from}..${fit.to}); `
      + `mean-field predicts ${perStep(predicted)} (chi = ${formatSig(mf.chi, 4)}, edge of chaos at s* = ${formatSig(mf.critical_scale, 4)})`);
  } else if (fit) {
    parts.push(`measured ${perStep(fit.slope)} per step back (log10 |dL/dh_t|, least squares over t = ${fit.from}..${fit.to})`);
  }
  const gap = boundGap(th.bound, run.grad_h_log10_norm);
  if (gap !== null) {
    parts.push(`|dL/dh_1| is ${formatFixed(Math.max(0, gap), 2)} orders of magnitude below Pascanu's bound at step 1, `
      + `the most it can be (σ_max = ${fmt(th.bound.sigma_max)} per step back)`);
  }
  if (th.cell_path) {
    const gate = cellMeta(run.config.cell)?.memory_gate;
    const carried = run.config.cell === 'lstm' ? { name: 'dL/dc_1', log10: run.grad_c_log10_norm } : { name: 'dL/dh_1', log10: run.grad_h_log10_norm };
    const path = th.cell_path.log10_norm?.[0];
    const measured = carried.log10?.[0];
    if (typeof path === 'number' && typeof measured === 'number') {
      parts.push(`the direct path through ${gate} alone carries log10 |${carried.name}| = ${formatFixed(path, 3)} `
        + `of the measured ${formatFixed(measured, 3)} (the other paths carry the rest)`);
    }
  }
  return parts.join('; ');
}

/**
 * The theory readout under the norm view: theoryText for each run (named by its cell when comparing), '' when
 * state.theory is 'off'.
 */
export function theoryReadout(runs, state) {
  if (state.theory === 'off') return '';
  const labels = Object.keys(runs);
  const texts = labels.map((l) => [l, theoryText(runs[l])]).filter(([, t]) => t);
  if (!texts.length) return '';
  const body = texts.map(([l, t]) => (labels.length > 1 ? `${l}: ${t}` : t)).join('. ');
  return `Theory: ${body}.`;
}

/**
 * Whether a warning only says that a theory item does not apply ("theory.cell_path is null: a plain rnn has no
 * gated direct path"): expected for every such run, so the page leaves it out of its warnings (the JSON export
 * keeps it).
 */
export function isTheoryAbsence(warning) {
  return /^theory\.\w+ is null:/.test(warning);
}

/** The explanations for the unrolled and gates views, for the cell shown and the mode, and the theory readout. */
export function explainTexts(runs, state) {
  const compare = Object.keys(runs).length > 1;
  const cell = primaryRun(runs, state.cell).config.cell;
  return {
    unrolled: compare ? EXPLAIN.unrolled.compare : EXPLAIN.unrolled[cell] || EXPLAIN.unrolled.single,
    gates: EXPLAIN.gates[compare ? 'compare' : cell],
    theory: theoryReadout(runs, state),
  };
}

/**
 * The list under "Your network": one {kind, text} per array the API used ('used', with the PyTorch
 * name it became when the file named it otherwise), then the arrays it left out ('ignored') and its notes.
 * Nothing for seeded weights.
 */
export function weightsLines(weights) {
  if (!weights || weights.source !== 'explicit') return [];
  return [
    ...Object.entries(weights.recognised || {}).map(([given, name]) => ({ kind: 'used', text: given === name ? name : `${given} → ${name}` })),
    ...(weights.ignored || []).map((name) => ({ kind: 'ignored', text: `${name}: not used` })),
    ...(weights.notes || []).map((note) => ({ kind: 'note', text: note })),
  ];
}

/** The "Your network" status line: which files the views show, or that the weights come from the seed. */
export function networkStatus(use) {
  const inputs = use.inputs ? `inputs from ${use.inputs.name}${use.rows ? ` (${use.rows.length} x ${use.rows[0].length})` : ''}` : '';
  if (!use.weights) return inputs ? `Seeded weights, ${inputs}.` : 'Seeded weights: drawn from the seed.';
  return `Your network from ${use.weights.name}${inputs ? `, ${inputs}` : ''}. The server used these arrays:`;
}

/**
 * Writes every readout for `runs` ({cell: response}) into `hooks`: {horizon, spectrum, clipping,
 * explainUnrolled, explainGates, explainDepth, explainTheory}, each an element whose text is replaced.
 */
export function writeReadouts(hooks, runs, state) {
  const primary = primaryRun(runs, state.cell);
  const explain = explainTexts(runs, state);
  hooks.horizon.textContent = horizonLine(runs, layerTag(primary, state));
  // comparing, the spectrum is the one of the cell Cell picks (as its chart says)
  const spectrum = spectrumText(primary.spectrum);
  hooks.spectrum.textContent = Object.keys(runs).length > 1 && spectrum ? `${primary.config.cell}: ${spectrum}` : spectrum;
  hooks.clipping.textContent = clippingText(primary.clipping, primary.clipped_param_grad_norms, primary.config);
  hooks.explainUnrolled.textContent = explain.unrolled;
  hooks.explainGates.textContent = explain.gates;
  hooks.explainDepth.textContent = EXPLAIN.depth;
  if (hooks.explainTheory) {
    hooks.explainTheory.textContent = explain.theory;
    hooks.explainTheory.hidden = explain.theory === '';
  }
}
