/**
 * A line of the lab's summary: the run's outcome in words and, once it ended with its trained network (the
 * summary's `weights`), "Open in the views", which hands the run to main.js to show that network in the six
 * views as the "Your network" box does.
 */
import { canOpen } from '../explore/trained.js';
import { outcomeText } from './readouts.js';

export const OPEN_LABEL = 'Open in the views';

/** The summary's <li> for `run`; `onOpen(run)` is called by its button (none while the run has no weights). */
export function summaryItem(doc, run, onOpen) {
  const item = doc.createElement('li');
  item.append(outcomeText(run));
  if (!onOpen || !canOpen(run)) return item;
  const button = Object.assign(doc.createElement('button'), { type: 'button', textContent: OPEN_LABEL, className: 'open-views' });
  button.dataset.testid = 'train-open-views';
  button.setAttribute('aria-label', `${OPEN_LABEL}: ${run.label}`);
  button.addEventListener('click', () => onOpen(run));
  item.append(' ', button);
  return item;
}
