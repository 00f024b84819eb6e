/**
 * A section of the page whose code loads on first need: the training lab, the sweep and the Runs section sit
 * below the views, and their modules (controls, sessions, charts) are not part of the first view. Each is built
 * when it comes near the viewport, or earlier when something asks for it (load(): a URL holding its settings, a
 * link to it). Its state specs come from a light module the page imports at once, so the URL holds its settings
 * from the start and the page knows which state keys are its own (owns) without building it.
 *
 * Until the section is built the page loses nothing a reader does there: sync() keeps the latest state, which
 * the section shows as it is built; a click on one of its buttons (Start, Stop) is held and clicked again once
 * the section can answer it; a click or focus anywhere in it builds it at once.
 */

/** How near the viewport a section starts loading: within a window's height above or below it. */
export const NEAR_MARGIN = '100% 0px';

/**
 * Calls `callback` once, the first time `element` comes within `rootMargin` of the viewport; returns a function
 * that stops watching. Without IntersectionObserver (an old browser) it calls it at once.
 */
export function whenNear(element, callback, { rootMargin = NEAR_MARGIN, Observer = globalThis.IntersectionObserver } = {}) {
  if (typeof Observer !== 'function') {
    callback();
    return () => {};
  }
  const observer = new Observer((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    callback();
  }, { rootMargin });
  observer.observe(element);
  return () => observer.disconnect();
}

/**
 * Watches `section` and builds it with `build()` (a promise of {sync(state)}, e.g. a dynamic import and the
 * module's build function) when it comes near (`near`, whenNear by default) or load() is called; `specs` are
 * the section's state specs. `onError(err)` says why a build failed (a later click or load() tries again).
 * The section's `data-module` says where it is: 'waiting', 'loading', 'ready' or 'failed'.
 * Returns {section, specs, owns(name), sync(state), load(), built()}.
 */
export function lazySection({
  section, specs, build, onError = () => {}, near = whenNear,
}) {
  const names = new Set(specs.map((s) => s.name));
  const held = [];
  let built = null;
  let loading = null;
  let state = null;
  let stopWatching = () => {};

  function ready(wired) {
    built = wired;
    section.dataset.module = 'ready';
    if (state !== null) built.sync(state);
    held.splice(0).forEach((button) => button.click());
    return built;
  }

  function load() {
    if (!loading) {
      stopWatching();
      section.dataset.module = 'loading';
      loading = Promise.resolve().then(build).then(ready, (err) => {
        loading = null;
        held.length = 0;
        section.dataset.module = 'failed';
        onError(err);
        return null;
      });
    }
    return loading;
  }

  section.dataset.module = 'waiting';
  // capture: the section's own listeners do not exist yet, so nothing else would answer this click
  section.addEventListener('click', (event) => {
    if (built) return;
    const button = event.target?.closest?.('button');
    if (button && !button.disabled) {
      event.preventDefault();
      event.stopPropagation();
      if (!held.includes(button)) held.push(button);
    }
    load();
  }, true);
  section.addEventListener('focusin', () => { if (!built) load(); });
  stopWatching = near(section, load);

  return {
    section,
    specs,
    owns: (name) => names.has(name),
    /** Shows `next` in the section, now or as soon as it is built. */
    sync(next) {
      state = next;
      if (built) built.sync(next);
    },
    load,
    built: () => built !== null,
  };
}
