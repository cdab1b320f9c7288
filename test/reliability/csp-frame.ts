/**
 * Opens a CSP page (web-test-runner.config.mjs `/__csp/NAME`, its script test/reliability/csp-page.ts)
 * in an iframe: the page's own realm and module instances, under the policy NAME, with one eager
 * element of each of `tags`.
 */
export interface CspFrame<W extends Window> {
  win: W;
  frame: HTMLIFrameElement;
  /** When the iframe was appended (performance.now()). */
  t0: number;
}

/** Resolves once the page has loaded (the kit may still be loading). */
export async function openCspFrame<W extends Window>(
  policy: string,
  tags: string[] = [],
): Promise<CspFrame<W>> {
  const frame = document.createElement('iframe');
  frame.src = `/__csp/${policy}?tags=${tags.join(',')}`;
  const t0 = performance.now();
  const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
  document.body.append(frame);
  await loaded;
  return { win: frame.contentWindow as W, frame, t0 };
}
