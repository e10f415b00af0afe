import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pitwallEvent, type PitwallEvent, type StoredEvent } from '../../shared/events.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import { DamagedLogError, StoreUnavailableError } from '../../server/store/event-store.js';
import { embeddedHarness } from '../helpers/store-harness.js';
import { startHubProcess } from '../helpers/hub-process.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';

/**
 * The embedded log's integrity (issue 11, item 11; docs/security.md, "The embedded log's
 * integrity"): a torn last batch is dropped whole, any other damage and any log shorter than
 * its mark stop start-up naming file, line and the repair command, which works.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECEIVED_AT = '2026-11-22T09:30:05.123+08:00';
const run = promisify(execFile);

function clockIn(n: number): PitwallEvent {
  return pitwallEvent.parse({ id: `evt-${String(n).padStart(6, '0')}`, type: 'shift.clock_in', at: '2026-11-22T09:30:00+08:00', technicianId: 'T1' });
}
function range(from: number, to: number): PitwallEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => clockIn(from + i));
}
/** An event line as the store writes it. */
function line(seq: number, event: PitwallEvent = clockIn(seq)): string {
  return JSON.stringify({ seq, receivedAt: RECEIVED_AT, event } satisfies StoredEvent) + '\n';
}

describe('embedded log integrity', () => {
  const harness = embeddedHarness();
  let store: EmbeddedEventStore | undefined;
  const fileOf = (ws: string) => path.join(harness.dir(), 'events', `${encodeURIComponent(ws)}.jsonl`);
  const markOf = (ws: string) => path.join(harness.dir(), 'events', `${encodeURIComponent(ws)}.mark`);
  const openStore = (warnings: string[] = []) => EmbeddedEventStore.open(harness.dir(), { onWarning: (w) => warnings.push(w) });

  /** A closed log of `batches` batches of `size` events each. */
  async function writeBatches(ws: string, batches: number, size: number): Promise<void> {
    const s = await openStore();
    for (let b = 0; b < batches; b++) await s.append(ws, range(b * size + 1, (b + 1) * size), b * size, RECEIVED_AT);
    await s.close();
  }
  async function readAll(s: EmbeddedEventStore, ws: string): Promise<string[]> {
    return (await s.read(ws, 0, 100_000)).map((e) => e.event.id);
  }
  async function repair(file: string): Promise<{ stdout: string; stderr: string }> {
    return run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/repair-log.ts'), file], { cwd: ROOT });
  }

  beforeEach(() => harness.fresh());
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  afterAll(() => harness.teardown());

  it('writes a header, one line per event and a commit record per batch, and a mark beside the log', async () => {
    store = await openStore();
    await store.append('ws:1', [clockIn(1), clockIn(2)], 0, RECEIVED_AT);
    await store.append('ws:1', [clockIn(3)], 2, RECEIVED_AT);
    await store.close();
    const text = await readFile(fileOf('ws:1'), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('{"pitwall":"event-log","format":2}');
    expect(lines.slice(1, 3)).toEqual([line(1).trimEnd(), line(2).trimEnd()]);
    expect(lines[3]).toMatch(/^\{"commit":2,"events":2,"crc32":\d+\}$/);
    expect(lines[4]).toBe(line(3).trimEnd());
    expect(lines[5]).toMatch(/^\{"commit":3,"events":1,"crc32":\d+\}$/);
    expect(lines[6]).toBe('');
    expect(JSON.parse(await readFile(markOf('ws:1'), 'utf8'))).toEqual({ seq: 3, bytes: Buffer.byteLength(text) });
  });

  it('drops a torn final batch whole (2 of its 3 lines written), keeps the batches before it, and takes the batch again', async () => {
    await writeBatches('ws-1', 2, 3);
    const good = await readFile(fileOf('ws-1'));
    // The crash hit while the third batch (seq 7–9) was being written: two lines, no commit record.
    await appendFile(fileOf('ws-1'), line(7) + line(8));

    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(fileOf('ws-1'));
    expect(warnings[0]).toMatch(/last batch \(from line 10: 2 complete event line\(s\)\) has no valid commit record/);
    expect(await readFile(fileOf('ws-1'))).toEqual(good);
    expect(await store.length('ws-1')).toBe(6);
    expect(await readAll(store, 'ws-1')).toEqual(range(1, 6).map((e) => e.id));
    // The terminal resends the batch: all three are new, none a duplicate.
    expect(await store.append('ws-1', range(7, 9), 6, RECEIVED_AT)).toEqual({ ok: true, seq: 9, duplicates: [false, false, false] });
  });

  it('trims to a file whose header names its first seq; a torn batch after it is dropped whole as in any log', async () => {
    await writeBatches('ws-1', 3, 3);
    store = await openStore();
    await store.trim('ws-1', 4);
    await store.close();
    const lines = (await readFile(fileOf('ws-1'), 'utf8')).split('\n');
    expect(lines[0]).toBe('{"pitwall":"event-log","format":2,"firstSeq":5}');
    expect(lines.slice(1, 6).map((l) => JSON.parse(l).seq)).toEqual([5, 6, 7, 8, 9]);
    expect(lines[6]).toMatch(/^\{"commit":9,"events":5,"crc32":\d+\}$/);
    expect(JSON.parse(await readFile(markOf('ws-1'), 'utf8'))).toEqual({ seq: 9, bytes: lines.slice(0, 7).join('\n').length + 1 });

    const good = await readFile(fileOf('ws-1'));
    await appendFile(fileOf('ws-1'), line(10) + line(11));
    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings).toEqual([expect.stringMatching(/last batch \(from line 8: 2 complete event line\(s\)\) has no valid commit record/)]);
    expect(await readFile(fileOf('ws-1'))).toEqual(good);
    expect([await store.firstSeq('ws-1'), await store.length('ws-1')]).toEqual([5, 9]);
    expect(await store.append('ws-1', range(10, 11), 9, RECEIVED_AT)).toEqual({ ok: true, seq: 11, duplicates: [false, false] });
    expect(await readAll(store, 'ws-1')).toEqual(range(5, 11).map((e) => e.id));
  });

  it('reopens the old log whole when a trim was interrupted after moving the mark, before its rename', async () => {
    await writeBatches('ws-1', 3, 3);
    const old = await readFile(fileOf('ws-1'));
    store = await openStore();
    await store.trim('ws-1', 7);
    await store.close();
    store = undefined;
    // The crash state: the mark already says the new (shorter) length, the file is still the old one.
    await writeFile(fileOf('ws-1'), old);
    await writeFile(fileOf('ws-1') + '.trim', 'half a copy');
    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings).toEqual([]);
    expect([await store.firstSeq('ws-1'), await store.length('ws-1')]).toEqual([1, 9]);
    expect(await readAll(store, 'ws-1')).toEqual(range(1, 9).map((e) => e.id));
    // The next trim overwrites the leftover copy.
    await store.trim('ws-1', 7);
    expect(await readAll(store, 'ws-1')).toEqual(range(8, 9).map((e) => e.id));
    expect((await readdir(path.dirname(fileOf('ws-1')))).sort()).toEqual(['ws-1.jsonl', 'ws-1.mark']);
  });

  it('drops a torn final batch whose last line is cut short, and one whose bytes do not match its commit record', async () => {
    await writeBatches('ws-1', 2, 2);
    const good = await readFile(fileOf('ws-1'));
    await appendFile(fileOf('ws-1'), line(5) + line(6).slice(0, 30));
    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings[0]).toMatch(/from line 8: 1 complete event line\(s\), then line 9: no trailing newline/);
    expect(await readFile(fileOf('ws-1'))).toEqual(good);
    await store.close();

    // The size reached the disk but not all the data (a power cut): zeros where a line was.
    const zeroed = line(5).replace(/[^\n]/g, '\0');
    await appendFile(fileOf('ws-1'), zeroed + '{"commit":5,"events":1,"crc32":12345}\n');
    warnings.length = 0;
    store = await openStore(warnings);
    expect(warnings).toHaveLength(1);
    expect(await readFile(fileOf('ws-1'))).toEqual(good);
    expect(await store.length('ws-1')).toBe(4);
  });

  it('refuses a log cut in the middle, naming the file, the line and the repair command, and changes nothing', async () => {
    await writeBatches('ws-1', 40, 5);
    const whole = await readFile(fileOf('ws-1'));
    await truncate(fileOf('ws-1'), Math.floor(whole.length / 2));

    const opening = openStore();
    await expect(opening).rejects.toThrow(fileOf('ws-1'));
    await expect(opening).rejects.toThrow(/holds \d+ committed event\(s\).*mark .* says 200 event\(s\).*it ends at line \d+: no trailing newline/);
    await expect(opening).rejects.toThrow(`npm run repair-log -- '${fileOf('ws-1')}'`);
    expect((await readFile(fileOf('ws-1'))).length).toBe(Math.floor(whole.length / 2));
  });

  it('refuses an emptied log and a deleted one when the mark says it held events', async () => {
    await writeBatches('ws-1', 3, 2);
    await writeFile(fileOf('ws-1'), '');
    await expect(openStore()).rejects.toThrow(/holds 0 committed event\(s\).*says 6 event\(s\)/);

    await rm(fileOf('ws-1'));
    const opening = openStore();
    await expect(opening).rejects.toThrow(`event log ${fileOf('ws-1')} is missing, but its mark says 6 event(s)`);
    await expect(opening).rejects.toThrow('npm run repair-log');
  });

  it('refuses a bad line followed by good ones, and a checksum mismatch before the last batch', async () => {
    await writeBatches('ws-1', 3, 2);
    const lines = (await readFile(fileOf('ws-1'), 'utf8')).split('\n');
    // Line 5 is the first event of the second batch (header, 2 events, commit, …).
    const broken = [...lines];
    broken[4] = '{"seq":3,"receivedAt":"2026-11-22T09:30:05';
    await writeFile(fileOf('ws-1'), broken.join('\n'));
    await expect(openStore()).rejects.toThrow(/ws-1\.jsonl is damaged at line 5 \(byte \d+\): not valid JSON/);

    // Same length, still JSON, still the store's head: only the checksum sees it.
    const changed = [...lines];
    changed[2] = changed[2]!.replace('"T1"', '"T2"');
    await writeFile(fileOf('ws-1'), changed.join('\n'));
    await expect(openStore()).rejects.toThrow(/damaged at line 4 .*the bytes of lines 2–3 do not match the checksum/);

    // A line gone from the middle: the seq gap is named, not "repaired".
    const gap = lines.filter((_, i) => i !== 4);
    await writeFile(fileOf('ws-1'), gap.join('\n'));
    await expect(openStore()).rejects.toThrow(/damaged at line 5 \(byte \d+\): seq is 4, expected 3/);
  });

  it('loads its logs after open in the background: calls wait for their log, in call order, and a damaged log fails its workshop alone', async () => {
    await writeBatches('ws-1', 2, 3);
    await writeBatches('ws-2', 1, 2);
    await writeBatches('ws-3', 1, 2);
    const lines = (await readFile(fileOf('ws-2'), 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('"seq":2', '"seq":7');
    await writeFile(fileOf('ws-2'), lines.join('\n'));

    const damage: [string, string][] = [];
    store = await EmbeddedEventStore.open(harness.dir(), { inBackground: { onDamage: (ws, err) => damage.push([ws, err.message]) } });
    // Asked for at once, before any log is loaded: each waits for its own, appends in the order they came.
    const [first, second, length] = await Promise.all([store.append('ws-3', range(3, 3), 2, RECEIVED_AT), store.append('ws-3', range(4, 4), 3, RECEIVED_AT), store.length('ws-1')]);
    expect([first, second]).toMatchObject([{ ok: true, seq: 3 }, { ok: true, seq: 4 }]);
    expect(length).toBe(6);
    expect(await readAll(store, 'ws-3')).toEqual(range(1, 4).map((e) => e.id));
    // The damaged log: reported once, naming file, line and the repair command; every call for it refused, whatever the kind.
    await expect(store.read('ws-2', 0, 10)).rejects.toMatchObject({ name: 'DamagedLogError', workshopId: 'ws-2' });
    await expect(store.append('ws-2', range(9, 9), 2, RECEIVED_AT)).rejects.toBeInstanceOf(DamagedLogError);
    await expect(store.length('ws-2')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(damage).toEqual([['ws-2', expect.stringMatching(/event log .*ws-2\.jsonl .*seq is 7, expected 2.*npm run repair-log/)]]);
    // Nothing was written to it, and a workshop with no log yet is new as ever.
    expect((await readFile(fileOf('ws-2'), 'utf8')).split('\n')).toEqual(lines);
    expect(await store.append('ws-new', range(1, 1), 0, RECEIVED_AT)).toMatchObject({ ok: true, seq: 1 });
    await store.close();
    store = undefined;
    // Opened in the foreground (the tools: archive, repair), the same damage stops the open.
    await expect(openStore()).rejects.toThrow(/ws-2\.jsonl .*seq is 7, expected 2/);
  });

  it('takes out only the workshop whose log is damaged, from the hub process: its calls answer 503, the hub\'s log names file, line, field and repair command', async () => {
    await writeBatches('sh-test', 3, 2);
    await writeBatches('bj-test', 1, 2);
    const lines = (await readFile(fileOf('sh-test'), 'utf8')).split('\n');
    lines[5] = lines[5]!.replace('"type":"shift.clock_in"', '"type":"shift.exploded"');
    await writeFile(fileOf('sh-test'), lines.join('\n'));
    const configFile = path.join(harness.dir(), 'pitwall.json');
    await writeFile(configFile, JSON.stringify(testConfigJson()));

    const hub = await startHubProcess({ PITWALL_CONFIG: configFile, PITWALL_DATA_DIR: harness.dir() });
    try {
      const board = (ws: string) => fetch(`${hub.url}/api/v1/workshops/${ws}/board`, { headers: { authorization: `Bearer ${TOKENS.board}` } });
      // The other workshop serves its log; the damaged one refuses, saying why and that retrying will not help.
      expect((await board('bj-test')).status).toBe(200);
      const refused = await board('sh-test');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBeNull();
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({ code: 'store_unavailable', message: expect.stringContaining("workshop sh-test's event log is damaged and needs repair") });
      expect(body.error.message).not.toContain(harness.dir());
      // The operator's line: one, at error level, the whole judgement, no stack trace.
      const logged = hub.output().split('\n').filter((l) => l.includes('is unavailable until its log is repaired'));
      expect(logged).toHaveLength(1);
      const line = JSON.parse(logged[0]!) as { level: number; workshopId: string; msg: string; err?: unknown };
      expect(line).toMatchObject({ level: 50, workshopId: 'sh-test' });
      expect(line.msg).toContain(`event log ${fileOf('sh-test')} is damaged at line 6`);
      expect(line.msg).toMatch(/event\.type must be one of shift\.clock_in, .*not an event the hub accepts/);
      expect(line.msg).toContain('npm run repair-log');
      expect(logged[0]).not.toMatch(/\\n\s+at /);
      // Still refused, and still logged once, when asked again.
      expect((await board('sh-test')).status).toBe(503);
      expect(hub.output().split('\n').filter((l) => l.includes('is unavailable until its log is repaired'))).toHaveLength(1);
    } finally {
      await hub.kill();
    }
  });

  it('loads a log written before framing, cuts its torn last line as before, seals it and frames new batches', async () => {
    await mkdir(path.dirname(fileOf('ws-1')), { recursive: true });
    await writeFile(fileOf('ws-1'), line(1) + line(2) + line(3) + '{"seq":4,"receivedAt":"2026-11-22T09:3');
    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings).toEqual([expect.stringMatching(/line 4 was cut short by an interrupted write/)]);
    expect(await readAll(store, 'ws-1')).toEqual(range(1, 3).map((e) => e.id));
    expect(await store.append('ws-1', [clockIn(4)], 3, RECEIVED_AT)).toEqual({ ok: true, seq: 4, duplicates: [false] });
    await store.close();

    const lines = (await readFile(fileOf('ws-1'), 'utf8')).split('\n');
    expect(lines[3]).toMatch(/^\{"commit":3,"events":3,"crc32":\d+\}$/);
    expect(lines[5]).toMatch(/^\{"commit":4,"events":1,"crc32":\d+\}$/);
    warnings.length = 0;
    store = await openStore(warnings);
    expect(warnings).toEqual([]);
    expect(await readAll(store, 'ws-1')).toEqual(range(1, 4).map((e) => e.id));
  });

  it('refuses an event id written twice inside the dedupe window, and loads one written again after it left the window', async () => {
    await mkdir(path.dirname(fileOf('ws-1')), { recursive: true });
    const dated = (seq: number, n: number, day: number) => {
      const at = new Date(Date.parse('2026-10-01T08:00:00Z') + day * 86_400_000).toISOString();
      const event = pitwallEvent.parse({ id: `evt-${String(n).padStart(6, '0')}`, type: 'shift.clock_in', at, technicianId: 'T1' });
      return JSON.stringify({ seq, receivedAt: at, event } satisfies StoredEvent) + '\n';
    };
    // Day 0 and day 15: the window (14 days) and its margin (1 day) still hold the first.
    await writeFile(fileOf('ws-1'), dated(1, 1, 0) + dated(2, 2, 1) + dated(3, 1, 15));
    await expect(openStore()).rejects.toThrow(/ws-1\.jsonl is damaged at line 3 \(byte \d+\): event id "evt-000001" appears earlier in the log \(within the dedupe window\)/);
    // Day 16: the store had forgotten the id, so a second event with it is no damage.
    await writeFile(fileOf('ws-1'), dated(1, 1, 0) + dated(2, 2, 1) + dated(3, 1, 16));
    store = await openStore();
    expect(await readAll(store, 'ws-1')).toEqual(['evt-000001', 'evt-000002', 'evt-000001']);
    // evt-000002 (day 1) is exactly at the cutoff, the first evt-000001 is before it.
    expect(await store.rememberedIds('ws-1')).toBe(2);
  });

  it('cuts off a complete but unparseable last line: after a batch, and in a log written before framing', async () => {
    await writeBatches('ws-1', 1, 2);
    await appendFile(fileOf('ws-1'), '\0\0\0\n');
    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings).toEqual([expect.stringMatching(/line 5: not valid JSON/)]);
    expect(await store.length('ws-1')).toBe(2);

    // Unframed: a last line with the store's head but a broken body is parsed whole, and cut.
    await writeFile(fileOf('ws-2'), line(1) + line(2) + line(3).replace(/"type":"[^"]+"/, '"type":}'));
    warnings.length = 0;
    await store.close();
    store = await openStore(warnings);
    expect(warnings).toEqual([expect.stringMatching(/ws-2\.jsonl: line 3 was cut short by an interrupted write \(not valid JSON\)/)]);
    expect(await readAll(store, 'ws-2')).toEqual(range(1, 2).map((e) => e.id));
  });

  it('refuses a log written before framing with a schema-invalid line in the middle, naming the line', async () => {
    const bad = { ...clockIn(2), technicianId: undefined, standardMinutes: 5 } as unknown as PitwallEvent;
    await mkdir(path.dirname(fileOf('ws-1')), { recursive: true });
    await writeFile(fileOf('ws-1'), line(1) + line(2, bad) + line(3));
    await expect(openStore()).rejects.toThrow(/ws-1\.jsonl is damaged at line 2 \(byte \d+\): event\.technicianId/);
  });

  it('names the line when a body changes under a running hub', async () => {
    await writeBatches('ws-1', 2, 2);
    store = await openStore();
    const lines = (await readFile(fileOf('ws-1'), 'utf8')).split('\n');
    lines[5] = lines[5]!.replace(/"type":"[^"]+"/, (m) => `"type":}${' '.repeat(m.length - 8)}`);
    await writeFile(fileOf('ws-1'), lines.join('\n'));
    await expect(store.read('ws-1', 0, 10)).rejects.toThrow(/ws-1\.jsonl is damaged at line 6 \(byte \d+, seq 4\): not valid JSON/);
  });

  it('keeps the mark up with a running hub (at most a second behind), so a crash leaves it close', async () => {
    store = await openStore();
    const markSeq = async () => (JSON.parse(await readFile(markOf('ws-1'), 'utf8').catch(() => '{"seq":-1}')) as { seq: number }).seq;
    for (let b = 0; b < 5; b++) await store.append('ws-1', range(b * 2 + 1, b * 2 + 2), b * 2, RECEIVED_AT);
    // No close: the latest value is written within the interval on its own.
    const deadline = Date.now() + 15_000;
    while ((await markSeq()) !== 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await markSeq()).toBe(10);
  });

  it('warns about an unreadable mark and checks the log by its frames', async () => {
    await writeBatches('ws-1', 2, 2);
    await writeFile(markOf('ws-1'), '');
    const warnings: string[] = [];
    store = await openStore(warnings);
    expect(warnings).toEqual([expect.stringContaining(`the mark ${markOf('ws-1')} cannot be read`)]);
    expect(await store.length('ws-1')).toBe(4);
  });

  describe('the repair command', () => {
    it('accepts a log cut in the middle: backs it up, keeps what is left, resets the mark', async () => {
      await writeBatches('ws-1', 10, 3);
      const whole = await readFile(fileOf('ws-1'));
      const cutAt = Math.floor(whole.length / 2);
      await truncate(fileOf('ws-1'), cutAt);
      await expect(openStore()).rejects.toThrow(/says 30 event\(s\)/);

      const { stdout } = await repair(fileOf('ws-1'));
      expect(stdout).toMatch(/copied .*ws-1\.jsonl to .*\.bak/);
      const backups = (await readdir(path.dirname(fileOf('ws-1')))).filter((n) => n.endsWith('.bak'));
      expect(backups).toHaveLength(1);
      expect(await readFile(path.join(path.dirname(fileOf('ws-1')), backups[0]!))).toEqual(whole.subarray(0, cutAt));

      // Every complete event line before the cut is kept: they were acknowledged (the mark counts them).
      const kept = whole.subarray(0, cutAt).toString('utf8').split('\n').slice(0, -1).filter((l) => l.startsWith('{"seq":')).length;
      const warnings: string[] = [];
      store = await openStore(warnings);
      expect(warnings).toEqual([]);
      expect(await readAll(store, 'ws-1')).toEqual(range(1, kept).map((e) => e.id));
      expect(stdout).toContain(`the log holds ${kept} event(s)`);
      expect(await store.append('ws-1', range(kept + 1, 30), kept, RECEIVED_AT)).toMatchObject({ ok: true, seq: 30 });
    });

    it('keeps the events before a damaged line and sets the rest aside', async () => {
      await writeBatches('ws-1', 3, 2);
      const lines = (await readFile(fileOf('ws-1'), 'utf8')).split('\n');
      lines[5] = lines[5]!.replace('"type":"shift.clock_in"', '"type":"shift.exploded"');
      await writeFile(fileOf('ws-1'), lines.join('\n'));
      await expect(openStore()).rejects.toThrow(/damaged at line 6/);

      const { stdout } = await repair(fileOf('ws-1'));
      expect(stdout).toContain('found: line 6: event.type');
      expect(stdout).toContain('cut the log from line 6 on');
      store = await openStore();
      expect(await readAll(store, 'ws-1')).toEqual(range(1, 3).map((e) => e.id));
    });

    it('repairs a trimmed log counting from its first seq', async () => {
      await writeBatches('ws-1', 3, 2);
      store = await openStore();
      await store.trim('ws-1', 2);
      await store.append('ws-1', range(7, 8), 6, RECEIVED_AT);
      await store.append('ws-1', range(9, 10), 8, RECEIVED_AT);
      await store.close();
      store = undefined;
      // header, seq 3–6, commit, seq 7–8, commit, seq 9–10, commit: line 8 is seq 8.
      const lines = (await readFile(fileOf('ws-1'), 'utf8')).split('\n');
      expect(JSON.parse(lines[7]!).seq).toBe(8);
      lines[7] = lines[7]!.replace('"type":"shift.clock_in"', '"type":"shift.exploded"');
      await writeFile(fileOf('ws-1'), lines.join('\n'));
      await expect(openStore()).rejects.toThrow(/damaged at line 8/);

      const { stdout } = await repair(fileOf('ws-1'));
      expect(stdout).toContain('cut the log from line 8 on');
      expect(stdout).toContain('the log holds 5 event(s) (seq 3–7, the start trimmed)');
      store = await openStore();
      expect([await store.firstSeq('ws-1'), await store.length('ws-1')]).toEqual([3, 7]);
      expect(await readAll(store, 'ws-1')).toEqual(range(3, 7).map((e) => e.id));
      expect(await store.append('ws-1', range(8, 8), 7, RECEIVED_AT)).toEqual({ ok: true, seq: 8, duplicates: [false] });
    });

    it('accepts an emptied log, and forgets a deleted one', async () => {
      await writeBatches('ws-1', 2, 2);
      await writeBatches('ws-2', 2, 2);
      await writeFile(fileOf('ws-1'), '');
      await rm(fileOf('ws-2'));
      await expect(openStore()).rejects.toThrow(/ws-2\.jsonl is missing/);
      expect((await repair(fileOf('ws-2'))).stdout).toContain('removed its mark');
      await expect(openStore()).rejects.toThrow(/ws-1\.jsonl holds 0 committed event/);
      expect((await repair(fileOf('ws-1'))).stdout).toContain('the log holds 0 event(s)');
      store = await openStore();
      expect(await store.length('ws-1')).toBe(0);
      expect(await store.length('ws-2')).toBe(0);
    });
  });
});
