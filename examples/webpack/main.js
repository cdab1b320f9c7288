// The app: one element from the npm package, and its results on the page.
import 'quant-widgets/quant-inference.js';

const el = document.querySelector('quant-inference');
const line = document.getElementById('result');
el.addEventListener('quant-result', (e) => {
  const r = e.detail;
  line.textContent = `${r.layers.join(' ')} bits: ${(r.accuracyQuant * 100).toFixed(1)}% (float ${(r.accuracyFloat * 100).toFixed(1)}%)${r.qat ? `, QAT ${r.qat.steps} steps` : ''}`;
});
el.addEventListener('quant-error', (e) => (line.textContent = `error: ${e.detail.message}`));
