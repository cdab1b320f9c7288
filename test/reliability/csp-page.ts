/**
 * The script of a CSP page (web-test-runner.config.mjs `/__csp/NAME`): records every violation and
 * every kit event before the kit loads, for the parent test to read.
 */
const record = window as unknown as {
  violations: string[];
  events: { tag: string; type: string; detail: unknown; at: number }[];
};
record.violations = [];
record.events = [];
document.addEventListener('securitypolicyviolation', (e) =>
  record.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
);
for (const type of ['quant-result', 'quant-error', 'quant-ready'])
  document.addEventListener(type, (e) =>
    record.events.push({
      tag: (e.target as Element).localName,
      type,
      detail: type === 'quant-result' ? null : (e as CustomEvent).detail,
      at: performance.now(),
    }),
  );
await import('../../src/index.js');
export {};
