// The heatmap colour scale: cold blue → cyan → green → yellow → hot red, with opacity rising
// with intensity so the page underneath stays readable where nobody pointed.

export type Rgba = [number, number, number, number];

/** Gradient stops at t = 0, 0.25, 0.5, 0.75, 1. */
export const HEAT_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 255],
  [0, 200, 255],
  [0, 220, 0],
  [255, 230, 0],
  [255, 0, 0],
];

function clamp01(t: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, Math.max(0, t));
}

/** Colour for an intensity 0..1 (clamped). Alpha goes from 0.35 (cold) to 0.85 (hot). */
export function heatColor(intensity: number): Rgba {
  const t = clamp01(intensity);
  const scaled = t * (HEAT_STOPS.length - 1);
  const index = Math.min(HEAT_STOPS.length - 2, Math.floor(scaled));
  const local = scaled - index;
  const from = HEAT_STOPS[index] ?? HEAT_STOPS[0];
  const to = HEAT_STOPS[index + 1] ?? HEAT_STOPS[HEAT_STOPS.length - 1];
  if (!from || !to) return [0, 0, 255, 0.35];
  const mix = (a: number, b: number) => Math.round(a + (b - a) * local);
  return [mix(from[0], to[0]), mix(from[1], to[1]), mix(from[2], to[2]), 0.35 + 0.5 * t];
}

/**
 * Intensity of a cell: square root of count / max, so a few clicks still show while the
 * hottest cell stays red. Zero for empty cells or an empty map.
 */
export function intensity(count: number, maxCount: number): number {
  if (maxCount <= 0 || count <= 0) return 0;
  return Math.sqrt(Math.min(count, maxCount) / maxCount);
}

export function cssColor([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${a.toFixed(2)})`;
}

/** A CSS linear-gradient for the legend, built from the same stops. */
export function legendGradient(direction = 'to right'): string {
  const steps = [0, 0.25, 0.5, 0.75, 1].map((t) => `${cssColor(heatColor(t))} ${t * 100}%`);
  return `linear-gradient(${direction}, ${steps.join(', ')})`;
}

/** Viewport width the public page is rendered at for each class (mobile < 768 ≤ tablet < 1200 ≤ desktop). */
export const VIEWPORT_WIDTH = { MOBILE: 390, TABLET: 820, DESKTOP: 1280 } as const;
