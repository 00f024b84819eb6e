// Just enough of the DOM for the page's wiring modules under node: elements that keep attributes,
// dataset, children and listeners, and a document that makes them.

export class FakeElement {
  constructor(tag, ownerDocument) {
    Object.assign(this, { tagName: tag.toUpperCase(), ownerDocument, attributes: {}, dataset: {}, children: [], listeners: {} });
    Object.assign(this, { hidden: false, textContent: '', disabled: false });
  }

  setAttribute(name, value) { this.attributes[name] = String(value); }

  getAttribute(name) { return this.attributes[name] ?? null; }

  append(...nodes) { this.children.push(...nodes); }

  addEventListener(type, listener) { (this.listeners[type] ||= []).push(listener); }

  /** Runs the click listeners and resolves when the async ones have finished. */
  click() { return Promise.all((this.listeners.click || []).map((listener) => listener())); }
}

export const fakeDocument = {
  createElement: (tag) => new FakeElement(tag, fakeDocument),
};
