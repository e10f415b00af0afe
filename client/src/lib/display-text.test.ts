import { describe, expect, it } from 'vitest';
import { explicitRunsAt } from './bidi-test-helper.js';
import { isolate, isolatedId, visibleId } from './display-text.js';

const RLO = '\u202E';
const PDI = '\u2069';

describe('isolate', () => {
  it('wraps a value in FSI … PDI, so an override inside ends with the value', () => {
    const line = `Bay 2 · ${isolate(`沪A${RLO}12345`)}: 490 min`;
    expect(line).toBe(`Bay 2 · \u2068沪A12345${PDI}: 490 min`);
    expect(explicitRunsAt(line, line.indexOf(': 490'))).toEqual([]);
  });

  it('drops the value’s own bidi controls: a stray PDI cannot close the isolate early', () => {
    const evil = `X${PDI}${RLO}evil`;
    const line = `${isolate(evil)} rest`;
    expect(line).toBe(`\u2068Xevil${PDI} rest`);
    expect(explicitRunsAt(line, line.indexOf(' rest'))).toEqual([]);
    // Without the isolate the override runs to the end of the line: the checker sees it.
    expect(explicitRunsAt(`${evil} rest`, `${evil} rest`.indexOf(' rest'))).toEqual(['RLO']);
  });

  it('leaves ordinary text, zero-width joiners in names included, as it is inside the isolate', () => {
    expect(isolate('Zhang Wei')).toBe('\u2068Zhang Wei\u2069');
    expect(isolate('Ali\u200DReza')).toBe('\u2068Ali\u200DReza\u2069');
  });
});

describe('visibleId', () => {
  it('shows control and format characters in a plate or id as marks, so nothing is blank or reversed', () => {
    expect(visibleId('\u200B'.repeat(16))).toBe('\uFFFD'.repeat(16));
    expect(visibleId(`沪A${RLO}12345`)).toBe('沪A\uFFFD12345');
    expect(visibleId('J\u00001')).toBe('J\uFFFD1');
    expect(visibleId('沪A12345')).toBe('沪A12345');
  });

  it('isolatedId does both', () => {
    expect(isolatedId(`沪A${RLO}1`)).toBe('\u2068沪A\uFFFD1\u2069');
  });
});
