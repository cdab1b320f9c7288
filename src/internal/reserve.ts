/**
 * Room each element takes before its first result, so nothing below it shifts when it renders:
 * its default rendering's height, measured at 375 px and at 1280 px (below 600 px the narrow
 * figure). The CDN loader reserves it for tags not yet defined (src/cdn/elements.ts), and the
 * elements keep it until their first result (QuantBase), so undefined → waiting → computed is one
 * height for a default widget.
 */
export const RESERVED_HEIGHTS = {
  'quant-simulator': { narrow: 1037, wide: 492 },
  'quant-histogram': { narrow: 564, wide: 425 },
  'quant-heatmap': { narrow: 674, wide: 703 },
  'quant-arena': { narrow: 183, wide: 143 },
  'quant-inference': { narrow: 1513, wide: 1038 },
  'quant-outliers': { narrow: 1213, wide: 680 },
} as const satisfies Record<string, { narrow: number; wide: number }>;

/** Below this viewport width the narrow figure applies (the media query of both reservations). */
export const NARROW_BELOW = 600;
