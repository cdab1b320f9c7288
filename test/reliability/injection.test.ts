/**
 * Injection payloads on every attribute of every element (issue 21, SPEC §4: attribute text is
 * rendered as text, never as HTML). Markup, script URLs, template syntax, entities, a bidi
 * override, a NUL and a 100,000-character string go into each field attribute; no element
 * appears (in the shadow root or the page), no script runs (alert, confirm and prompt are stubbed
 * and must stay uncalled), every message is plain text that quotes the payload literally and
 * still reads left to right, nothing is thrown, and each element afterwards gives a fresh
 * element's result.
 */
import { expect } from '@open-wc/testing';
import { part } from '../helpers/element.js';
import {
  SUBJECTS,
  create,
  expectSameAsFresh,
  fieldAttributes,
  settled,
  uncaught,
  type Widget,
} from './subjects.js';

const PAYLOADS = [
  '<img src=x onerror="alert(1);window.__pwned=1">',
  '"><script>alert(2);window.__pwned=1</script>',
  "'><svg onload=alert(3)>",
  '</p></div><dialog open>injected</dialog>',
  '<iframe srcdoc="<script>parent.alert(4)</script>"></iframe>',
  'javascript:alert(5)',
  '{{7*7}}',
  '${alert(6)}',
  '&lt;b&gt;bold&lt;/b&gt; &amp;',
  '<!-- <b>commented</b>',
  '" onmouseover="alert(7)" x="',
  '\u202E8 <b>gnp.exe</b>',
  '\u2069\u202Eevil\u202C',
  '\u0000<b>nul</b>',
  `${'A'.repeat(100_000)}<img src=x onerror=alert(8)>`,
];

/** Elements a payload could create (none of the widgets renders one of these itself). */
const INJECTED = 'img, script, iframe, svg, dialog, object, embed, b, math, link, meta, base, form, frame';

const count = (root: ParentNode) => root.querySelectorAll(INJECTED).length;

/**
 * How a message quotes attribute text (SPEC §4: short): the first 60 characters, its invisible
 * bidi controls shown by code point.
 */
const quotedPart = (text: string) =>
  text
    .replace(
      /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase()}>`,
    )
    .slice(0, 60);

/** Whether the message's last two letters or digits are laid out left to right (no bidi spoofing). */
function readsLeftToRight(p: Element): boolean {
  // Lit's markers are comments beside the one text node.
  const text = [...p.childNodes].find((n): n is Text => n instanceof Text && n.data.trim() !== '');
  if (!text) return false;
  const ends = [...text.data.matchAll(/[\p{L}\p{N}]/gu)].slice(-2).map((m) => m.index!);
  const left = (at: number) => {
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + 1);
    return range.getBoundingClientRect().left;
  };
  return ends.length === 2 && left(ends[0]) < left(ends[1]);
}

/** Every message in the alert is text only, quotes `payload` literally, and reads left to right. */
function expectTextOnly(el: Widget, payload: string, what: string): void {
  const alert = part(el, 'error');
  if (!alert) return;
  expect(alert.getAttribute('role'), what).to.equal('alert');
  for (const p of alert.children) {
    expect(p.localName, what).to.equal('p');
    expect(p.children.length, `${what}: elements inside a message`).to.equal(0);
    expect(readsLeftToRight(p), `${what}: the message reads left to right`).to.equal(true);
  }
  const e = el.error;
  if (e?.code === 'invalid-attribute') expect(alert.textContent, what).to.contain(quotedPart(payload));
}

type Dialogs = Pick<Window, 'alert' | 'confirm' | 'prompt'>;

describe('injection payloads on every attribute of every element (issue 21, SPEC §4)', function () {
  this.timeout(120000);
  const calls: string[] = [];
  let saved: Dialogs;
  before(() => {
    saved = { alert: window.alert, confirm: window.confirm, prompt: window.prompt };
    window.alert = (m?: unknown) => void calls.push(`alert(${String(m)})`);
    window.confirm = (m?: string) => (calls.push(`confirm(${m})`), false);
    window.prompt = (m?: string) => (calls.push(`prompt(${m})`), null);
  });
  after(() => Object.assign(window, saved));

  for (const subject of SUBJECTS) {
    describe(`<${subject.tag}>`, () => {
      let el: Widget;
      let inShadow = 0;
      let inPage = 0;
      before(async () => {
        el = create(subject);
        await subject.ready(el);
        inShadow = count(el.shadowRoot!);
        inPage = count(document);
      });
      after(() => el?.remove());

      for (const { attribute } of fieldAttributes(subject.tag)) {
        it(`${attribute}: ${PAYLOADS.length} payloads stay text`, async () => {
          const watch = uncaught();
          calls.length = 0;
          for (const payload of PAYLOADS) {
            const what = `${attribute} ← ${JSON.stringify(payload.slice(0, 40))}`;
            const prior = el.getAttribute(attribute);
            const result = el.result;
            el.setAttribute(attribute, payload);
            // A rejected value must leave the result as it was (a src or autorun may change it).
            const rejected = el.error?.code === 'invalid-attribute';
            try {
              // A src is fetched (and fails); autorun starts a run: let them finish.
              await settled(el);
              expect(el.getAttribute(attribute), what).to.equal(payload);
              expect(count(el.shadowRoot!), `${what}: an element appeared in the shadow root`).to.equal(
                inShadow,
              );
              expect(count(document), `${what}: an element appeared in the page`).to.equal(inPage);
              expectTextOnly(el, payload, what);
            } finally {
              if (prior === null) el.removeAttribute(attribute);
              else el.setAttribute(attribute, prior);
            }
            await settled(el);
            expect(el.error, `${what}: cleared once the attribute is back`).to.equal(null);
            if (rejected) expect(el.result, `${what}: recomputed`).to.equal(result);
          }
          expect(calls, 'dialogs opened').to.deep.equal([]);
          expect((window as { __pwned?: unknown }).__pwned, 'a payload ran').to.equal(undefined);
          expect(watch.stop()).to.deep.equal([]);
        });
      }

      it('afterwards gives a fresh element’s result', async () => {
        await expectSameAsFresh(subject, el);
        expect(calls).to.deep.equal([]);
      });
    });
  }
});
