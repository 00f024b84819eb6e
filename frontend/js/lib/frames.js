/**
 * Drawing in step with the browser's frames: one `nextFrame`, and a painter that coalesces redraw requests so
 * lines arriving from a stream between two frames share one paint.
 */

/** Resolves after the browser had a chance to paint (or after 100 ms where frames do not come: a hidden tab). */
export function nextFrame() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });
}

/**
 * Returns `schedule()`: asks for `paintOnce()` (which may be async) at the next frame. Requests made while a paint
 * is under way share the following one, so a burst of stream events costs one paint per frame, never a backlog.
 */
export function framePainter(paintOnce) {
  let pending = false;
  let painting = false;
  async function loop() {
    while (pending) {
      pending = false;
      await paintOnce();
      if (pending) await nextFrame();
    }
    painting = false;
  }
  return function schedule() {
    pending = true;
    if (painting) return; // the paint in progress looks at `pending` when it is done
    painting = true;
    nextFrame().then(loop);
  };
}
