/**
 * Inline styles without a `style` attribute: `<div ${styleProps({width: '4px'})}>` sets them through
 * the CSSOM (`element.style.setProperty`), which `style-src 'self'` allows (SPEC §4). Lit's
 * styleMap writes a `style` attribute on first render, which that policy blocks.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

class StylePropsDirective extends Directive {
  #previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT)
      throw new Error('styleProps() goes on an element: <div ${styleProps(…)}>');
  }

  render(_styles: Readonly<Record<string, string | undefined>>) {
    return noChange;
  }

  override update(part: ElementPart, [styles]: [Readonly<Record<string, string | undefined>>]) {
    const style = (part.element as HTMLElement).style;
    for (const name of this.#previous) if (styles[name] === undefined) style.removeProperty(name);
    this.#previous = new Set();
    for (const [name, value] of Object.entries(styles)) {
      if (value === undefined) continue;
      style.setProperty(name, value);
      this.#previous.add(name);
    }
    return noChange;
  }
}

export const styleProps = directive(StylePropsDirective);
