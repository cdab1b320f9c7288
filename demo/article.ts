/**
 * The article's live figures and claims. Nothing in the prose is typed by hand except figures
 * from elsewhere, which are cited; everything else is computed here by the kit (demo/figures.ts).
 *
 * The markup, all of it:
 * - `data-config='{"shape":"32x32","bits":8}'` (JSON) on any element: the config of the figures
 *   and claims inside it. An element's config is its ancestors' and its own, merged outermost
 *   first. Keys: the weights (`shape` "RxC", `distribution`, `std`, `seed`), the QuantConfig
 *   fields (`bits`, `scheme`, `granularity`, `groupSize`, …), and what a figure needs beyond them
 *   (`thresholds`, `index`; `model`, `layers` for quant-inference; `size`, `paths`, `on`, … for
 *   the arena). `vs` holds the changes that give the config a figure compares against.
 * - `data-figure="NAME"`: filled with figure NAME (the keys of FIGURES) at its config, when it
 *   nears the viewport; it shows "—" until then. `data-format` overrides how it is written
 *   (`%1` a percentage, `2` decimals, `g4` significant digits, `int`).
 * - `data-plural="one|many"` on a counted figure: its noun, singular for 1 ("1 flipped prediction").
 * - `data-claim="NAME op NUMBER; …"` (op: < <= > >= == !=): what the sentence asserts, checked at
 *   its config when it nears the viewport; `data-claim-state` becomes `holds` or `fails` (a
 *   failing claim is outlined and logged, for the author; test/article-claims.test.ts fails).
 * - Costly figures (QAT, the arena) wait for a `<button data-measure>` inside the same
 *   `data-config` element: pressing it computes the costly figures and claims of that element.
 */
import { configOf, figureWidth, formatFigure, holds, parseClaim, withNoun } from './claims-syntax.js';
import { FIGURES } from './figures.js';
import { WIDGET_FIGURES } from './figures-widgets.js';

function figure(name: string) {
  const f = FIGURES[name];
  if (!f) throw new Error(`no figure named "${name}" (known: ${Object.keys(FIGURES).join(', ')})`);
  return f;
}

async function fill(el: HTMLElement): Promise<void> {
  const f = figure(el.dataset.figure!);
  const value = await f.compute(configOf(el));
  el.textContent = withNoun(formatFigure(value, el.dataset.format ?? f.format), value, el.dataset.plural);
  el.dataset.value = String(value);
  // Its own width from now on (no blanks around a short number), unless it is on screen and its
  // line would re-wrap under the reader's eyes: then it keeps the room until it leaves the screen.
  const { top, bottom } = el.getBoundingClientRect();
  const reserved = el.style.minWidth;
  const block = el.closest('p, li, td, th, figcaption') ?? el.parentElement!;
  const before = block.getBoundingClientRect().height;
  el.style.minWidth = '';
  if (bottom < 0 || top > window.innerHeight) return;
  if (block.getBoundingClientRect().height !== before) {
    el.style.minWidth = reserved;
    offScreen.observe(el);
  }
}

/** Figures filled on screen lose their reserved width once they leave it ("( 0.026 )" otherwise). */
const offScreen = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) continue;
    offScreen.unobserve(entry.target);
    (entry.target as HTMLElement).style.minWidth = '';
  }
});

async function check(el: HTMLElement): Promise<void> {
  const config = configOf(el);
  const failed: string[] = [];
  for (const p of parseClaim(el.dataset.claim!)) {
    const x = await figure(p.name).compute(config);
    if (!holds(p, x)) failed.push(`${p.text} (it is ${x})`);
  }
  el.dataset.claimState = failed.length ? 'fails' : 'holds';
  if (failed.length) {
    el.title = `False at its config: ${failed.join('; ')}`;
    console.error(`The article claims what is false: ${failed.join('; ')}`, el);
  }
}

const costly = (el: HTMLElement) =>
  (el.dataset.figure !== undefined && figure(el.dataset.figure).costly === true) ||
  (el.dataset.claim !== undefined && parseClaim(el.dataset.claim).some((p) => figure(p.name).costly));

/** Fills a figure and checks a claim (an element may be both) once; a failure shows on the element. */
function run(el: HTMLElement): Promise<void> {
  if (el.dataset.state) return Promise.resolve();
  el.dataset.state = 'pending';
  const work = async () => {
    if (el.dataset.figure) await fill(el);
    if (el.dataset.claim) await check(el);
  };
  return work().then(
    () => void (el.dataset.state = 'done'),
    (e: unknown) => {
      el.dataset.state = 'failed';
      el.title = `Not computed: ${e instanceof Error ? e.message : String(e)}`;
      console.error(e);
    },
  );
}

// A table that scrolls sideways is reachable from the keyboard (axe scrollable-region-focusable),
// named after its caption: the markup says so where it can; this covers any it does not.
for (const box of document.querySelectorAll<HTMLElement>('.table-scroll:not([tabindex])')) {
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  const caption = box.querySelector('caption')?.textContent?.replace(/\s+/g, ' ').trim();
  if (caption && !box.hasAttribute('aria-label')) box.setAttribute('aria-label', caption);
}

const items = () => [...document.querySelectorAll<HTMLElement>('[data-figure], [data-claim]')];

const starter = (rootMargin: string) => {
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        void run(entry.target as HTMLElement);
      }
    },
    { rootMargin },
  );
  return observer;
};
// A screen ahead, like the widgets: a figure fills in before its line is read, so no text moves.
const near = starter('100% 0px');
// A figure that a hidden widget computes (a model, the outliers layer: seconds) starts three
// screens ahead, so that it too is in before its line scrolls into view.
const ahead = starter('300% 0px');
const fromWidget = (el: HTMLElement) =>
  [el.dataset.figure, ...(el.dataset.claim ? parseClaim(el.dataset.claim).map((p) => p.name) : [])].some(
    (name) => name !== undefined && name in WIDGET_FIGURES,
  );
for (const el of items()) {
  if (el.dataset.figure)
    el.style.minWidth = `${figureWidth(el.dataset.format ?? figure(el.dataset.figure).format)}ch`;
  if (!costly(el)) (fromWidget(el) ? ahead : near).observe(el);
}

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-measure]')) {
  button.addEventListener('click', async () => {
    const scope = button.closest('[data-config]');
    const mine = items().filter((el) => costly(el) && scope?.contains(el));
    button.disabled = true;
    // One at a time (each may start a widget with its own worker), figures first: a claim on the
    // same numbers then reads them from the memo.
    const order = [...mine.filter((el) => el.dataset.figure), ...mine.filter((el) => !el.dataset.figure)];
    for (const [i, el] of order.entries()) {
      button.textContent = `Measuring… ${Math.round((100 * i) / order.length)}%`;
      await run(el);
    }
    button.textContent = 'Measured';
    button.dataset.measured = '';
  });
}
