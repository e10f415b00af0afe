import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capabilityTarget, capabilityValid, loggablePath, mintCapability } from '../../server/customers/capability.js';
import { LINK_KEY_BLOB, linkKeys } from '../../server/customers/link-keys.js';
import type { EventStore } from '../../server/store/event-store.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';

/**
 * The customer links' keys (docs/security.md, "The customer's link"): every hub on one store
 * ends with the same key even when several create it at once, and a secret in the environment
 * gives every hub the same keys without the store.
 */
describe.each([
  { harness: embeddedHarness() as Harness, label: 'embedded', hubs: 1 },
  { harness: redisHarness() as Harness, label: 'redis', hubs: 3 },
])('$label store: the link key', ({ harness, hubs }) => {
  const opened: EventStore[] = [];
  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(() => harness.fresh());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('is created once: creations at once from every hub all end with the first one’s key', async () => {
    // The embedded store has one hub (its log is one process's): its creations race in-process.
    const stores = await Promise.all(Array.from({ length: hubs }, () => harness.open()));
    opened.push(...stores);
    const creators = Array.from({ length: 6 }, (_, i) => stores[i % stores.length]!);
    const keys = await Promise.all(creators.map((st) => linkKeys(st.blobs, undefined).keyOf('sh-test')));
    expect(keys[0]!.length).toBe(32);
    for (const k of keys) expect(k.equals(keys[0]!)).toBe(true);
    expect((await stores[0]!.blobs.load('sh-test', LINK_KEY_BLOB))!.equals(keys[0]!)).toBe(true);
    // Another workshop, another key; a later hub reads the same one.
    const other = await linkKeys(stores[0]!.blobs, undefined).keyOf('bj-test');
    expect(other.equals(keys[0]!)).toBe(false);
    expect((await linkKeys(stores.at(-1)!.blobs, undefined).keyOf('sh-test')).equals(keys[0]!)).toBe(true);
  });

  it('comes from PITWALL_CUSTOMER_LINK_SECRET when set: the same on every hub, nothing stored', async () => {
    const store = await harness.open();
    opened.push(store);
    const secret = 's'.repeat(40);
    const a = await linkKeys(store.blobs, secret).keyOf('sh-test');
    const b = await linkKeys(store.blobs, secret).keyOf('sh-test');
    expect(a.equals(b)).toBe(true);
    expect((await linkKeys(store.blobs, 't'.repeat(40)).keyOf('sh-test')).equals(a)).toBe(false);
    expect(await store.blobs.load('sh-test', LINK_KEY_BLOB)).toBeNull();
  });
});

describe('the capability', () => {
  const key = Buffer.alloc(32, 7);
  it('names its workshop and job, and only the key’s mac for exactly them passes', () => {
    const t = { workshopId: 'sh-test', jobId: 'job-沪-1' };
    const c = mintCapability(key, t);
    expect(capabilityTarget(c)).toEqual(t);
    expect(capabilityValid(key, c, t)).toBe(true);
    expect(capabilityValid(Buffer.alloc(32, 8), c, t)).toBe(false);
    const bent = { workshopId: 'sh-test', jobId: 'job-沪-2' };
    expect(capabilityValid(key, c, bent)).toBe(false);
    expect(capabilityTarget('a.b')).toBeNull();
    expect(capabilityTarget(`${'A'.repeat(800)}.b.${'C'.repeat(22)}`)).toBeNull();
    // A non-canonical encoding of the ids is no link (Node's decoder would skip the stray character).
    expect(capabilityTarget(`${c.split('.')[0]}=.${c.split('.')[1]}.${c.split('.')[2]}`)).toBeNull();
  });
});

describe('paths in logs', () => {
  it('lose their capability', () => {
    expect(loggablePath('/c/abc.def.ghi')).toBe('/c/:capability');
    expect(loggablePath('/api/v1/c/abc.def.ghi')).toBe('/api/v1/c/:capability');
    expect(loggablePath('/api/v1/workshops/sh-test/board')).toBe('/api/v1/workshops/sh-test/board');
    expect(loggablePath('/desk/c/x')).toBe('/desk/c/x');
  });
});
