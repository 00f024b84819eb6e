/**
 * The layer selector: which layer of a stack the per-layer views show, shown only when there is more than
 * one. Its options follow num_layers (layers.js layerOptions); a choice is reported, never acted on here.
 */
import { layerOptions, layerValue } from '../lib/layers.js';

const LAYER_HELP = 'The unrolled network, the norms, the gates and the eigenvalues show this layer; the loss reads the top one.';

/**
 * Appends a labelled select (data-testid="layer-select") to `group` and returns {sync(state)}, which shows it
 * for num_layers > 1 with one option per layer and the state's layer chosen. onChange(value) on a pick.
 */
export function buildLayerSelect(group, onChange) {
  const doc = group.ownerDocument;
  const wrap = Object.assign(doc.createElement('div'), { className: 'field', hidden: true });
  const label = Object.assign(doc.createElement('label'), { htmlFor: 'in-layer' });
  label.append(Object.assign(doc.createElement('span'), { textContent: 'Layer shown' }));
  const select = Object.assign(doc.createElement('select'), { id: 'in-layer', name: 'layer' });
  select.dataset.testid = 'layer-select';
  select.addEventListener('change', () => onChange(select.value));
  const inputs = Object.assign(doc.createElement('div'), { className: 'inputs' });
  inputs.append(select);
  const help = Object.assign(doc.createElement('p'), { className: 'help', id: 'in-layer-help', textContent: LAYER_HELP });
  select.setAttribute('aria-describedby', help.id);
  wrap.append(label, inputs, help);
  group.append(wrap);
  let shownCount = 0;
  return {
    sync(state) {
      const n = Number(state.num_layers);
      const count = Number.isInteger(n) && n > 1 ? n : 1;
      wrap.hidden = count === 1;
      if (count !== shownCount) {
        select.replaceChildren(...layerOptions(count).map((o) => Object.assign(doc.createElement('option'), { value: o.value, textContent: o.text })));
        shownCount = count;
      }
      select.value = layerValue(state, count);
    },
  };
}
