/**
 * On a phone: an element in a 375 px column stays inside its host. What is clipped (a scrolling
 * matrix, the visually-hidden wrapper of the histogram's table) counts only as far as it shows.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../src/components/quant-heatmap/quant-heatmap.js';
import '../src/components/quant-histogram/quant-histogram.js';
import '../src/components/quant-simulator/quant-simulator.js';
import { outside } from './helpers/overflow.js';
import { nextEvent } from './helpers/wait.js';

type Widget = HTMLElement & { result: unknown; updateComplete: Promise<boolean> };

async function inColumn(template: TemplateResult): Promise<{ column: HTMLElement; el: Widget }> {
  const column = await fixture<HTMLElement>(html`<div style="width: 375px">${template}</div>`);
  const el = column.firstElementChild as Widget;
  if (!el.result) await nextEvent(el, 'quant-ready', 60000);
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(r)); // charts size themselves on the next frame
  return { column, el };
}

describe('in a 375 px column', function () {
  this.timeout(60_000);

  const cases: [string, TemplateResult][] = [
    ['<quant-histogram>', html`<quant-histogram loading="eager" shape="32x32"></quant-histogram>`],
    [
      '<quant-histogram compare="…"> (its screen-reader table)',
      html`<quant-histogram
        loading="eager"
        shape="32x64"
        granularity="group"
        scheme="symmetric"
        compare="int4 nf4 fp4-e2m1 mxfp4"
      ></quant-histogram>`,
    ],
    ['<quant-simulator> 8×16', html`<quant-simulator loading="eager" shape="8x16"></quant-simulator>`],
    ['<quant-heatmap>', html`<quant-heatmap loading="eager"></quant-heatmap>`],
  ];
  for (const [name, template] of cases) {
    it(`${name}: no descendant reaches outside the host`, async () => {
      const { column, el } = await inColumn(template);
      expect(el.getBoundingClientRect().width).to.be.at.most(375);
      expect(outside(el)).to.deep.equal([]);
      expect(column.scrollWidth, 'the column scrolls sideways').to.be.at.most(375);
    });
  }
});
