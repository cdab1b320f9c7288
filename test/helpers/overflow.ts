/** What reaches outside a widget's box on the page (the cause when a page scrolls sideways). */

/** An element's box as the page sees it: cut by every ancestor (in the shadow root) that clips. */
function visibleBox(el: Element): { left: number; right: number } | null {
  const r = el.getBoundingClientRect();
  let [left, right] = [r.left, r.right];
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') {
      const b = a.getBoundingClientRect();
      [left, right] = [Math.max(left, b.left), Math.min(right, b.right)];
    }
  }
  return right > left ? { left, right } : null;
}

/** Every element of the host's shadow tree whose visible box reaches outside the host. */
export function outside(host: Element): string[] {
  const h = host.getBoundingClientRect();
  return [...host.shadowRoot!.querySelectorAll('*')]
    .filter((e) => {
      const box = visibleBox(e);
      return box !== null && (box.left < h.left - 0.5 || box.right > h.right + 0.5);
    })
    .map((e) => `${e.localName}${e.className ? `.${String(e.className).replace(/ /g, '.')}` : ''}`);
}
