/**
 * The settings drawer of a narrow page: below the width where css/style.css puts the sidebar beside the charts,
 * the sidebar is a sheet over the bottom of the window, closed until its toggle is tapped, so the charts come
 * first; wider, the same sidebar stands beside them and the toggle is not shown. Non-modal: the charts above the sheet still scroll, and every
 * change shows in them at once. Escape or Close closes it; focus goes into it and back to the toggle.
 */

/**
 * Wires `toggle` (a button with aria-controls naming `panel`), `close` (a button inside it) and `panel`.
 * Returns {open(), close(), isOpen()}.
 */
export function buildDrawer({ toggle, close, panel }) {
  const isOpen = () => panel.classList.contains('open');
  const set = (open) => {
    const had = isOpen();
    panel.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open && !had) close.focus();
    if (!open && had) toggle.focus();
  };
  toggle.addEventListener('click', () => set(!isOpen()));
  close.addEventListener('click', () => set(false));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') set(false);
  });
  return { open: () => set(true), close: () => set(false), isOpen };
}
