import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../client/src/i18n/lead.messages.js';
import { isolate, isolatedId } from '../../client/src/lib/display-text.js';
import { launchBrowser } from '../helpers/browser.js';

/**
 * The bidi isolation of typed values (client/src/lib/display-text.ts) as Chromium lays it out,
 * not as a model of UAX #9: the lead's alert sentence is built the way LeadLights builds it,
 * with a plate typed with U+202E, and the x positions of the words after the plate are read
 * back. In reading order they go left to right; inside a reversed run they would not.
 */
const RLO = '\u202E';
const plate = `沪D${RLO}33333`;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
});

/** The sentence of the lead's bay light (client/src/features/lead/components/LeadLights.vue), its English message filled in with the values given. */
function baySentence(bay: string, shownPlate: string): string {
  const named: Record<string, string> = { bay, plate: ` · ${shownPlate}`, elapsed: '490', standard: '120', value: '408 %', green: '≤ 110 %', yellow: '≤ 120 %' };
  return messages.en.lead.lights.sentence.bay.replace(/\{(\w+)\}/g, (_, k: string) => named[k] ?? '');
}

/** Left edge of each character of `tail` in a paragraph showing `line` (one line, wide enough). */
async function leftEdges(line: string, tail: string): Promise<number[]> {
  await page.setContent('<p id="line" dir="ltr" style="font: 16px sans-serif; white-space: nowrap"></p>');
  return page.evaluate<number[]>(`(() => {
    const p = document.getElementById('line');
    p.textContent = ${JSON.stringify(line)};
    const text = p.firstChild;
    const start = text.data.indexOf(${JSON.stringify(tail)});
    const out = [];
    for (let i = start; i < start + ${tail.length}; i++) {
      const r = document.createRange();
      r.setStart(text, i);
      r.setEnd(text, i + 1);
      out.push(r.getBoundingClientRect().left);
    }
    return out;
  })()`);
}

const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
const TAIL = 'of 120 min standard';

describe('a plate typed with U+202E in the lead’s alert sentence, in Chromium', () => {
  it('isolated as the console does it: the words after the plate read left to right', async () => {
    const xs = await leftEdges(baySentence(isolate('Bay 2'), isolatedId(plate)), TAIL);
    expect(xs).toHaveLength(TAIL.length);
    expect(increasing(xs), xs.join(',')).toBe(true);
  });

  it('as it was, not isolated: the same words come out reversed (the check can fail)', async () => {
    const xs = await leftEdges(baySentence('Bay 2', plate), TAIL);
    expect(increasing(xs)).toBe(false);
  });
});
