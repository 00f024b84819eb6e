// Just enough of the DOM for the page's wiring modules under node: elements that keep attributes,
// dataset, classes, children and listeners, and a document that makes them.

export class FakeElement {
  constructor(tag, ownerDocument) {
    Object.assign(this, { tagName: tag.toUpperCase(), ownerDocument, attributes: {}, dataset: {}, children: [], listeners: {} });
    Object.assign(this, { hidden: false, textContent: '', disabled: false, value: '' });
    const classes = new Set();
    this.classList = {
      toggle: (name, on) => (on ? classes.add(name) : classes.delete(name)),
      contains: (name) => classes.has(name),
    };
  }

  setAttribute(name, value) { this.attributes[name] = String(value); }

  getAttribute(name) { return this.attributes[name] ?? null; }

  append(...nodes) { this.children.push(...nodes); }

  replaceChildren(...nodes) { this.children = [...nodes]; }

  addEventListener(type, listener) { (this.listeners[type] ||= []).push(listener); }

  /** Runs the click listeners and resolves when the async ones have finished. */
  click() { return this.dispatch('click'); }

  /** Runs the `type` listeners with `event` and resolves when the async ones have finished. */
  dispatch(type, event = {}) { return Promise.all((this.listeners[type] || []).map((listener) => listener(event))); }
}

/** A text node: its text, and no tag. */
export class FakeText {
  constructor(text) { Object.assign(this, { nodeName: '#text', textContent: String(text) }); }
}

export const fakeDocument = {
  createElement: (tag) => new FakeElement(tag, fakeDocument),
  createTextNode: (text) => new FakeText(text),
};
