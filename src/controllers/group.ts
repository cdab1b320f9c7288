/**
 * `group` sync through the DOM (SPEC §2.4): when a `quant-change` reaches the document from an
 * element with `group="g"` (a widget's controls, page code, a framework wrapper, another copy of
 * the bundle), every element of group g applies its detail. No registry: each member listens.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface GroupOptions<D> {
  group(): string | undefined;
  /** Applies a committed config (as attributes; must not emit quant-change). */
  follow(detail: Partial<D>): void;
}

/** The element a quant-change came from: the node it was dispatched on, or that node's host. */
function sourceOf(event: Event): Element | null {
  const first = event.composedPath()[0];
  if (!(first instanceof Element)) return null;
  if (first.hasAttribute('group')) return first;
  const root = first.getRootNode();
  return root instanceof ShadowRoot ? root.host : first;
}

export class GroupController<D extends object> implements ReactiveController {
  readonly #options: GroupOptions<D>;

  constructor(host: ReactiveControllerHost, options: GroupOptions<D>) {
    this.#options = options;
    host.addController(this);
  }

  readonly #onChange = (event: Event): void => {
    const group = this.#options.group();
    if (!group || !(event instanceof CustomEvent) || typeof event.detail !== 'object' || !event.detail)
      return;
    if (sourceOf(event)?.getAttribute('group') === group) this.#options.follow(event.detail as Partial<D>);
  };

  hostConnected(): void {
    document.addEventListener('quant-change', this.#onChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('quant-change', this.#onChange);
  }
}
