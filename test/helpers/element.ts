/** What element tests share: waiting for results, for an idle element, and holding a computation. */
import type { QuantSession } from '../../src/core/index.js';
import { nextEvent } from './wait.js';

interface Computing extends HTMLElement {
  result: unknown;
  updateComplete: Promise<boolean>;
}

/** The first element of a part in the shadow root, or null. */
export const part = (el: Element, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`);

/** Waits for the next quant-result after `action`. */
export async function after(el: Element, action: () => void): Promise<void> {
  const done = nextEvent(el, 'quant-result');
  action();
  await done;
}

/**
 * Settles every update the element has requested, then says whether work is in flight
 * (the `aria-busy` its frame renders). A change that started no computation leaves it false:
 * a positive check instead of sleeping and hoping nothing happened.
 */
export async function idle(el: Computing): Promise<boolean> {
  while (!(await el.updateComplete));
  return part(el, 'base')?.getAttribute('aria-busy') !== 'true';
}

/**
 * Holds the element's next quantizations until `release()`: the view can be checked while a new
 * config is set but its result has not landed. Returns how many quantizations were asked for.
 */
export function holdQuantize(el: Element): { release(): void; readonly calls: number } {
  const session = (el as unknown as { sessions: { session: QuantSession } }).sessions.session;
  const original = session.quantize.bind(session);
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let calls = 0;
  session.quantize = async (...args: Parameters<QuantSession['quantize']>) => {
    calls++;
    await gate;
    return original(...args);
  };
  return {
    release() {
      session.quantize = original;
      open();
    },
    get calls() {
      return calls;
    },
  };
}

/** Counts the quantizations an element's session runs from now on. */
export function countQuantize(el: Element): { readonly count: number } {
  const session = (el as unknown as { sessions: { session: QuantSession } }).sessions.session;
  const original = session.quantize.bind(session);
  let count = 0;
  session.quantize = (...args: Parameters<QuantSession['quantize']>) => {
    count++;
    return original(...args);
  };
  return {
    get count() {
      return count;
    },
  };
}

interface AxNode {
  role?: string;
  name?: string;
  children?: AxNode[];
}

/** The accessible names of every node of `role` in an a11ySnapshot tree. */
export function axNames(tree: unknown, role: string): string[] {
  const out: string[] = [];
  const walk = (node: AxNode) => {
    if (node.role === role) out.push(node.name ?? '');
    node.children?.forEach(walk);
  };
  if (tree) walk(tree as AxNode);
  return out;
}
