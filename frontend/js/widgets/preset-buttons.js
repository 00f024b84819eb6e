/**
 * The preset buttons: one per teaching preset (explore/presets.js, or the training lab's), pressed while the
 * settings equal it, with that preset's summary shown beside the charts. Reports a click; knows nothing of
 * fetching or charts.
 */
import { PRESETS, applyPreset, matchingPreset } from '../explore/presets.js';

function presetButton(doc, preset) {
  const button = Object.assign(doc.createElement('button'), { type: 'button', textContent: preset.label, title: preset.summary });
  button.dataset.preset = preset.id;
  button.dataset.testid = `preset-${preset.id}`;
  button.setAttribute('aria-pressed', 'false');
  return button;
}

/**
 * Puts a button per preset of `presets` into `holder` and returns {sync(state)}, which marks the preset the
 * state equals and shows its summary in `summary`. A click calls onPick(next, preset) with the state the preset
 * gives, from `current()` at that moment (`defaults` and `apiNames` as explore/presets.js applyPreset takes them).
 */
export function buildPresets({
  holder, summary, defaults, apiNames, current, onPick, presets = PRESETS,
}) {
  const buttons = presets.map((preset) => {
    const button = presetButton(holder.ownerDocument, preset);
    button.addEventListener('click', () => onPick(applyPreset(preset, defaults, current(), apiNames), preset));
    return button;
  });
  holder.append(...buttons);
  return {
    sync(state) {
      const match = matchingPreset(state, defaults, apiNames, presets);
      for (const button of buttons) {
        button.setAttribute('aria-pressed', String(match !== null && button.dataset.preset === match.id));
      }
      summary.hidden = match === null;
      summary.textContent = match ? match.summary : '';
    },
  };
}
