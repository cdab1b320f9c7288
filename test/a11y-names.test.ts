/**
 * Accessible names as assistive technology gets them (Chromium's accessibility tree): the host is
 * the widget's region, named by the page's `aria-label` / `aria-labelledby`, and its controls are
 * named after it, so widgets on one page do not repeat "Quantization simulator" and "bits".
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-arena/quant-arena.js';
import '../src/components/quant-heatmap/quant-heatmap.js';
import '../src/components/quant-histogram/quant-histogram.js';
import '../src/components/quant-inference/quant-inference.js';
import '../src/components/quant-simulator/quant-simulator.js';
import { axControls, axTrees, type AxNode } from './helpers/ax.js';
import { axNames } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

type Widget = HTMLElement & { result: unknown; updateComplete: Promise<boolean> };

async function tree(selector: string): Promise<AxNode> {
  const [t] = await axTrees([selector]);
  expect(t, selector).to.not.equal(null);
  return t!;
}

async function started(el: Widget): Promise<void> {
  if (!el.result) await nextEvent(el, 'quant-ready', 60000);
  await el.updateComplete;
}

describe('accessible names', function () {
  this.timeout(120_000);

  const cases = [
    [
      'quant-simulator',
      html`<quant-simulator
        id="w"
        loading="eager"
        shape="2x40"
        controls="format bits scheme granularity"
        aria-label="Affine simulator"
      ></quant-simulator>`,
    ],
    [
      'quant-histogram',
      html`<quant-histogram
        id="w"
        loading="eager"
        shape="32x32"
        aria-label="Affine simulator"
      ></quant-histogram>`,
    ],
    [
      'quant-heatmap',
      html`<quant-heatmap id="w" loading="eager" aria-label="Affine simulator"></quant-heatmap>`,
    ],
    ['quant-arena', html`<quant-arena id="w" loading="eager" aria-label="Affine simulator"></quant-arena>`],
    [
      'quant-inference',
      html`<quant-inference
        id="w"
        loading="eager"
        model="spirals"
        aria-label="Affine simulator"
      ></quant-inference>`,
    ],
    [
      'quant-inference model="digits"',
      html`<quant-inference id="w" loading="eager" bits="2" aria-label="Affine simulator"></quant-inference>`,
    ],
  ] as const;
  for (const [tag, template] of cases) {
    it(`<${tag}>: the host is the region the page named, and its controls carry that name`, async () => {
      const el = await fixture<Widget>(template);
      if (tag !== 'quant-arena') await started(el);
      const root = await tree('#w');
      expect([root.role, root.name]).to.deep.equal(['region', 'Affine simulator']);
      const controls = axControls(root);
      expect(controls.length, 'controls in the tree').to.be.above(0);
      // Inner regions too: no second region under the element's default name.
      for (const c of controls) expect(c.name, c.role).to.match(/^Affine simulator: \S/);
    });
  }

  it('a slider is "<host name>: bits", and follows the host name when it changes', async () => {
    const el = await fixture<Widget>(
      html`<quant-simulator id="s" loading="eager" aria-label="Affine simulator"></quant-simulator>`,
    );
    await started(el);
    expect(axNames(await tree('#s'), 'slider')).to.deep.equal(['Affine simulator: bits']);
    el.setAttribute('aria-label', 'Symmetric simulator');
    await el.updateComplete;
    const renamed = await tree('#s');
    expect(renamed.name).to.equal('Symmetric simulator');
    expect(axNames(renamed, 'slider')).to.deep.equal(['Symmetric simulator: bits']);
    expect(axNames(renamed, 'group')).to.deep.equal(['Symmetric simulator: scheme']);
    expect(axNames(renamed, 'radio')).to.deep.equal(['affine', 'symmetric']);
    expect(axNames(renamed, 'grid')).to.deep.equal(
      ['Original (float32)', 'Integer codes [0, 255]', 'Dequantized'].map((m) => `Symmetric simulator: ${m}`),
    );
  });

  it('aria-labelledby on the tag names the host and its controls', async () => {
    const wrap = await fixture<HTMLElement>(
      html`<div>
        <h2 id="sec">Symmetric or affine</h2>
        <quant-simulator id="s" loading="eager" aria-labelledby="sec"></quant-simulator>
      </div>`,
    );
    await started(wrap.querySelector<Widget>('quant-simulator')!);
    const root = await tree('#s');
    expect([root.role, root.name]).to.deep.equal(['region', 'Symmetric or affine']);
    expect(axNames(root, 'slider')).to.deep.equal(['Symmetric or affine: bits']);
  });

  it('unnamed by the page: the default region name, controls by their own label', async () => {
    const el = await fixture<Widget>(
      html`<quant-histogram id="h" loading="eager" shape="32x32"></quant-histogram>`,
    );
    await started(el);
    const root = await tree('#h');
    expect([root.role, root.name]).to.deep.equal(['region', 'Weight histogram']);
    expect(axControls(root)).to.deep.equal([
      { role: 'combobox', name: 'format' },
      { role: 'slider', name: 'bits' },
      { role: 'combobox', name: 'calibration' },
    ]);
  });
});
