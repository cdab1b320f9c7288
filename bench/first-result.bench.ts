/**
 * Visible → first quant-result for the three quantizing elements at their default sizes: cold
 * (a fresh page, jax-js not loaded: its modules may come from the browser's cache) and warm (a
 * second element on that page). Each run is an iframe of bench/first-result.html.
 */
import { summarize, table } from './stats.js';

interface Times {
  tag: string;
  cold: number;
  warm: number;
  isolated: boolean;
}

function run(tag: string): Promise<Times> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    const timer = setTimeout(() => reject(new Error(`${tag}: no result in 60 s`)), 60000);
    const onMessage = (e: MessageEvent<Times>) => {
      if (e.source !== frame.contentWindow) return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      frame.remove();
      resolve(e.data);
    };
    window.addEventListener('message', onMessage);
    frame.style.cssText = 'width: 900px; height: 700px';
    frame.src = `/bench/first-result.html?tag=${tag}`;
    document.body.append(frame);
  });
}

describe('first result bench', function () {
  this.timeout(600000);

  it('visible → first quant-result, cold and warm', async () => {
    const rows: Record<string, string | number>[] = [];
    let isolated = false;
    await run('quant-simulator'); // the modules in the browser's cache, as for a second visit
    for (const tag of ['quant-simulator', 'quant-histogram', 'quant-heatmap']) {
      const times: Times[] = [];
      for (let i = 0; i < 5; i++) times.push(await run(tag));
      isolated = times[0].isolated;
      const cold = summarize(times.map((t) => t.cold));
      const warm = summarize(times.map((t) => t.warm));
      rows.push({
        element: tag,
        'cold median ms': cold.median,
        'cold max ms': cold.p95,
        'warm median ms': warm.median,
        'warm max ms': warm.p95,
        runs: times.length,
      });
    }
    console.log(table(`visible → first quant-result, default sizes (crossOriginIsolated=${isolated})`, rows));
  });
});
