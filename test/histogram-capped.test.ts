/**
 * Capped spikes in <quant-histogram> (issue 19 item 7): at 2 bits the dequantized spikes run far
 * past the shared scale; each is cut at the top with a break, and its true count is written under
 * the chart. The "z=" label sits in the band above the plot (test/node/histogram-overlay.test.ts).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-histogram/quant-histogram.js';
import type { QuantHistogram } from '../src/components/quant-histogram/quant-histogram.js';
import { whenReady } from './helpers/wait.js';

describe('<quant-histogram> capped spikes', function () {
  this.timeout(60_000);

  it('at 2 bits: the cut spikes are marked and their true counts written', async () => {
    const el = await fixture<QuantHistogram>(
      html`<quant-histogram loading="eager" bits="2" style="width: 700px"></quant-histogram>`,
    );
    await whenReady(el, 30000);
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    const note = el.shadowRoot!.querySelector('[part~="capped"]');
    expect(note, 'the note under the chart').to.not.equal(null);
    const counts = el.histogram!.panels[0].counts;
    const tallest = Math.max(...counts);
    expect(note!.textContent).to.contain(tallest.toLocaleString());
    // The plot starts below the label band: uPlot's plot area is LABEL_BAND px under the canvas top.
    const over = el.shadowRoot!.querySelector<HTMLElement>('.u-over')!;
    const chart = el.shadowRoot!.querySelector<HTMLElement>('[part~="chart"]')!;
    expect(over.getBoundingClientRect().top - chart.getBoundingClientRect().top).to.be.at.least(16);
  });

  it('at 8 bits nothing is cut and no note is shown', async () => {
    const el = await fixture<QuantHistogram>(
      html`<quant-histogram loading="eager" bits="8"></quant-histogram>`,
    );
    await whenReady(el, 30000);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="capped"]')).to.equal(null);
  });
});
