import { describe, expect, it } from 'vitest';
import { chartFontPx, completionsData, waitingData } from './board-charts.js';
import { seriesAt1800 } from '../../lib/board-test-fixture.js';

describe('chart data', () => {
  it('labels completions by local hour', () => {
    expect(completionsData(seriesAt1800(), 'Done')).toEqual({
      labels: ['08:00', '09:00', '10:00', '11:00', '12:00'],
      datasets: [{ label: 'Done', data: [0, 1, 0, 0, 1] }],
    });
  });

  it('labels the waiting samples in the workshop time zone and leaves a gap where nobody waited', () => {
    expect(waitingData(seriesAt1800(), 'Asia/Shanghai', 'en')).toEqual({ labels: ['08:00', '08:15', '08:30'], count: [0, 1, 1], averageWait: [null, 10, 25] });
  });

  it('is empty without a series', () => {
    expect(completionsData(null, 'x').labels).toEqual([]);
    expect(waitingData(null, 'UTC', 'en').count).toEqual([]);
  });

  it('sizes canvas text in the board\'s unit, with the screen', () => {
    expect(chartFontPx(1920, 1080)).toBe(17);
    expect(chartFontPx(1366, 768)).toBe(12);
    expect(chartFontPx(3840, 2160)).toBe(35);
    // A screen wider than 16:9 sizes from its height, a taller one from its width.
    expect(chartFontPx(2560, 1080)).toBe(17);
    expect(chartFontPx(1920, 1200)).toBe(17);
  });
});
