/**
 * Builds one labelled control per spec (from the schema for request fields, from the property table for
 * page settings) and reports changes. Knows nothing of fetching or charts.
 *
 * Every control carries data-testid="control-<field>". Bounded numbers get a slider next to the number
 * box; the slider reports while dragging (`live`), the box and the slider's release report a settled value.
 */
import { codeNodes } from '../lib/codetext.js';
import { LOG_STOPS, boundsText, fromSlider, sliderRange, toSlider } from '../lib/schema.js';
import { appliesTo, coerce } from '../lib/state.js';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  node.append(...children);
  return node;
}

function helpText(spec) {
  const only = spec.onlyFor ? `${spec.onlyFor.join(', ')} only` : '';
  if (only && spec.description.toLowerCase().includes(only)) return spec.description;
  return [spec.description, only ? `(${only})` : ''].filter(Boolean).join(' ');
}

function enumControl(spec, id, emit) {
  const select = el('select', { id, name: spec.name, 'data-testid': `control-${spec.name}` });
  for (const v of spec.values) select.append(el('option', { value: v, text: v }));
  select.addEventListener('change', () => emit(spec.name, select.value, false));
  return { inputs: [select], set: (v) => { select.value = String(v); } };
}

function boolControl(spec, id, emit) {
  const box = el('input', { type: 'checkbox', id, name: spec.name, 'data-testid': `control-${spec.name}` });
  box.addEventListener('change', () => emit(spec.name, box.checked, false));
  return { inputs: [box], set: (v) => { box.checked = v === true; } };
}

function numberControl(spec, id, emit) {
  const range = sliderRange(spec);
  const box = el('input', {
    type: 'number', id, name: spec.name, inputmode: spec.kind === 'int' ? 'numeric' : 'decimal',
    step: spec.kind === 'int' ? 1 : 'any', min: spec.min, max: spec.max, 'data-testid': `control-${spec.name}`,
    class: range ? null : 'solo',
  });
  box.addEventListener('change', () => emit(spec.name, coerce(spec, box.value), false));
  if (!range) return { inputs: [box], set: (v) => { box.value = String(v); } };

  const slider = el('input', {
    type: 'range', id: `${id}-slider`, 'aria-label': `${spec.label} slider`, 'data-testid': `slider-${spec.name}`,
    min: range.log ? 0 : range.min, max: range.log ? LOG_STOPS : range.max, step: range.step,
  });
  const fromPos = () => fromSlider(range, slider.value);
  slider.addEventListener('input', () => {
    box.value = String(fromPos());
    emit(spec.name, fromPos(), true);
  });
  slider.addEventListener('change', () => emit(spec.name, fromPos(), false));
  return {
    inputs: [slider, box],
    set: (v) => {
      box.value = String(v);
      if (typeof v === 'number') slider.value = String(toSlider(range, v));
    },
  };
}

function buildField(spec, emit) {
  const id = `in-${spec.name}`;
  const make = { enum: enumControl, bool: boolControl }[spec.kind] || numberControl;
  const control = make(spec, id, emit);
  const help = helpText(spec);
  const label = el('label', { for: id }, el('span', { text: spec.label }));
  const bounds = spec.kind === 'int' || spec.kind === 'float' ? boundsText(spec) : '';
  if (bounds) label.append(el('span', { class: 'bounds', text: bounds }));
  const wrap = el('div', { class: `field${spec.kind === 'bool' ? ' check' : ''}`, 'data-hide-key': spec.name, 'data-field': spec.name });
  if (spec.kind === 'bool') {
    wrap.append(el('label', { for: id }, ...control.inputs, el('span', { text: spec.label })));
  } else {
    wrap.append(label, el('div', { class: 'inputs' }, ...control.inputs));
  }
  if (help) {
    const helpId = `${id}-help`;
    // the schema's words, with its `code` in <code>: built as nodes, never parsed as HTML
    wrap.append(el('p', { class: 'help', id: helpId }, ...codeNodes(document, help)));
    control.inputs.forEach((input) => input.setAttribute('aria-describedby', helpId));
  }
  return { wrap, control };
}

/**
 * Puts a control for every spec into the fieldset `root.querySelector([data-group=<group>])`.
 * onChange(name, value, live) is called on every user change; `applies(spec, state)` says which controls
 * matter for the state (the rest are dimmed). Returns {sync(state)}.
 */
export function buildControls(root, specs, onChange, applies = appliesTo) {
  const fields = new Map();
  for (const spec of specs) {
    const group = root.querySelector(`[data-group="${spec.group || 'display'}"]`);
    if (!group) continue;
    const { wrap, control } = buildField(spec, onChange);
    group.append(wrap);
    fields.set(spec.name, { spec, wrap, control });
  }
  return {
    /**
     * Disables a field's inputs and says why in `reason` under it, or enables them again when `reason` is
     * null: for a setting the page cannot honour now, e.g. compare mode while an uploaded network is loaded.
     */
    lock(name, reason) {
      const field = fields.get(name);
      if (!field) return;
      field.control.inputs.forEach((input) => { input.disabled = reason !== null; });
      let why = field.wrap.querySelector('.lock-reason');
      if (!why) {
        why = el('p', { class: 'help lock-reason', 'data-testid': `lock-${name}` });
        field.wrap.append(why);
      }
      why.textContent = reason || '';
      why.hidden = reason === null;
    },
    /** Shows `state` in the controls; dims fields that do not apply to the chosen cell; applies ?hide=. */
    sync(state) {
      const hide = new Set(state.hide || []);
      for (const { spec, wrap, control } of fields.values()) {
        control.set(state[spec.name]);
        wrap.classList.toggle('inactive', !applies(spec, state));
      }
      for (const node of document.querySelectorAll('[data-hide-key]')) {
        node.hidden = hide.has(node.getAttribute('data-hide-key'));
      }
    },
  };
}
