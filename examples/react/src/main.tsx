import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QuantSimulator } from 'quant-widgets/react';

/** A line of text from a result: the bit width it was computed at, its SQNR, how many arrived. */
function useResultLine() {
  const [line, setLine] = useState({ text: 'waiting for a result…', count: 0 });
  const onResult = (r: { config: { bits: number }; stats: { sqnrDb: number } }) =>
    setLine((l) => ({
      text: `${r.config.bits} bits: SQNR ${r.stats.sqnrDb.toFixed(1)} dB`,
      count: l.count + 1,
    }));
  return [line, onResult] as const;
}

function App() {
  const [bits, setBits] = useState(8);
  const [simulator, onSimulatorResult] = useResultLine();
  const [histogram, onHistogramResult] = useResultLine();
  const next = bits === 8 ? 4 : 8;
  return (
    <main>
      <h1>quant-widgets in React</h1>
      <button type="button" onClick={() => setBits(next)}>
        Quantize to {next} bits
      </button>

      {/* The @lit/react wrapper: typed props, and onQuantResult's event carries the element's result. */}
      <QuantSimulator bits={bits} loading="eager" onQuantResult={(e) => onSimulatorResult(e.detail)} />
      <p id="simulator-result" data-count={simulator.count}>
        {simulator.text}
      </p>

      {/* The raw tag (React 19 sets properties and listens to onquant-* itself), typed by JSX.IntrinsicElements. */}
      <quant-histogram bits={bits} loading="eager" onquant-result={(e) => onHistogramResult(e.detail)} />
      <p id="histogram-result" data-count={histogram.count}>
        {histogram.text}
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
