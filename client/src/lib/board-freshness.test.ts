import { describe, expect, it } from 'vitest';
import { freshness, isDoubtful, STALE_AFTER_MS, type FreshnessInput } from './board-freshness.js';

const T = 1_800_000_000_000;

describe('freshness', () => {
  const rows: [string, FreshnessInput, ReturnType<typeof freshness>][] = [
    ['connecting, nothing yet', { connection: 'connecting', offlineSince: null, receivedAt: null, now: T }, { kind: 'connecting' }],
    ['connected, waiting for the first board', { connection: 'live', offlineSince: null, receivedAt: null, now: T }, { kind: 'connecting' }],
    ['live and recent', { connection: 'live', offlineSince: null, receivedAt: T - 15_000, now: T }, { kind: 'live' }],
    ['live at exactly the limit', { connection: 'live', offlineSince: null, receivedAt: T - STALE_AFTER_MS, now: T }, { kind: 'live' }],
    ['connected but silent too long', { connection: 'live', offlineSince: null, receivedAt: T - STALE_AFTER_MS - 1, now: T }, { kind: 'stale', dataFrom: T - STALE_AFTER_MS - 1 }],
    ['offline with data', { connection: 'offline', offlineSince: T - 5000, receivedAt: T - 9000, now: T }, { kind: 'offline', since: T - 5000, dataFrom: T - 9000 }],
    ['offline before any data', { connection: 'offline', offlineSince: T - 5000, receivedAt: null, now: T }, { kind: 'offline', since: T - 5000, dataFrom: null }],
    ['unauthorized', { connection: 'unauthorized', offlineSince: null, receivedAt: T, now: T }, { kind: 'unauthorized' }],
  ];
  it.each(rows)('%s', (_name, input, expected) => {
    expect(freshness(input)).toEqual(expected);
  });

  it('dims the figures only when they may be old', () => {
    expect(isDoubtful({ kind: 'live' })).toBe(false);
    expect(isDoubtful({ kind: 'connecting' })).toBe(false);
    expect(isDoubtful({ kind: 'stale', dataFrom: T })).toBe(true);
    expect(isDoubtful({ kind: 'offline', since: T, dataFrom: null })).toBe(true);
  });
});
