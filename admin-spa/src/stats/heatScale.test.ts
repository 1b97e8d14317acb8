import { describe, expect, it } from 'vitest';
import { HEAT_STOPS, cssColor, heatColor, intensity, legendGradient } from './heatScale';

describe('heatmap colour scale', () => {
  it('runs from blue (cold) to red (hot)', () => {
    expect(heatColor(0).slice(0, 3)).toEqual([0, 0, 255]);
    expect(heatColor(1).slice(0, 3)).toEqual([255, 0, 0]);
    expect(heatColor(0.5).slice(0, 3)).toEqual([...(HEAT_STOPS[2] ?? [])]);
  });

  it('interpolates between stops', () => {
    const [r, g, b] = heatColor(0.125);
    expect(r).toBe(0);
    expect(g).toBe(100);
    expect(b).toBe(255);
  });

  it('grows redder and less blue as it heats up', () => {
    let prevRed = -1;
    let prevBlue = 256;
    for (let t = 0; t <= 1.0001; t += 0.05) {
      const [r, , b] = heatColor(t);
      expect(r).toBeGreaterThanOrEqual(prevRed);
      expect(b).toBeLessThanOrEqual(prevBlue);
      prevRed = r;
      prevBlue = b;
    }
  });

  it('is more opaque when hotter, never fully opaque', () => {
    expect(heatColor(0)[3]).toBeCloseTo(0.35);
    expect(heatColor(1)[3]).toBeCloseTo(0.85);
    expect(heatColor(0.5)[3]).toBeGreaterThan(heatColor(0.2)[3]);
  });

  it('clamps out-of-range and invalid input', () => {
    expect(heatColor(-1)).toEqual(heatColor(0));
    expect(heatColor(7)).toEqual(heatColor(1));
    expect(heatColor(Number.NaN)).toEqual(heatColor(0));
  });

  it('scales counts by the square root of count / max', () => {
    expect(intensity(0, 10)).toBe(0);
    expect(intensity(10, 10)).toBe(1);
    expect(intensity(25, 100)).toBeCloseTo(0.5);
    expect(intensity(200, 100)).toBe(1);
    expect(intensity(3, 0)).toBe(0);
  });

  it('builds the legend from the same colours', () => {
    expect(cssColor([255, 0, 0, 0.85])).toBe('rgba(255, 0, 0, 0.85)');
    const gradient = legendGradient();
    expect(gradient.startsWith('linear-gradient(to right, rgba(0, 0, 255, 0.35) 0%')).toBe(true);
    expect(gradient.endsWith('rgba(255, 0, 0, 0.85) 100%)')).toBe(true);
  });
});
