// The default theme, and the three elements this site uses, registered in the browser only: the
// kit's modules touch `customElements` and `HTMLElement`, which SSR (Node) does not have. SSR
// renders the tags with their attributes; the elements upgrade once their modules load.
import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';

export default {
  extends: DefaultTheme,
  enhanceApp() {
    if (!import.meta.env.SSR) {
      void import('quant-widgets/quant-simulator.js');
      void import('quant-widgets/quant-histogram.js');
      void import('quant-widgets/quant-heatmap.js');
    }
  },
} satisfies Theme;
