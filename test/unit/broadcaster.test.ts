import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { WorkshopService } from '../../server/workshops/workshop-service.js';
import { createHubMetrics } from '../../server/metrics.js';
import { Broadcaster } from '../../server/realtime/broadcaster.js';
import type { HubServer } from '../../server/realtime/io.js';

/**
 * The broadcaster's pacing under fake time (the integration tests cover it with real sockets,
 * but cannot wait 15 s for a heartbeat): what reaches a room, and when.
 */

const WS = 'sh-test';

function setup(roomSize = 2) {
  const sent: { room: string; seq: number; at: number }[] = [];
  const rooms = new Map<string, Set<string>>([[`ws:${WS}`, new Set(Array.from({ length: roomSize }, (_, i) => `socket-${i}`))]]);
  const to = (room: string) => ({ emit: (_event: 'snapshot', s: BoardSnapshot) => sent.push({ room, seq: s.seq, at: Date.now() }) });
  const io = {
    of: () => ({ adapter: { rooms }, sockets: new Map() }),
    local: { to },
  } as unknown as HubServer;
  let seq = 0;
  let changeListener: (ws: string) => void = () => {};
  const service = {
    onChange: (l: (ws: string) => void) => (changeListener = l),
    // The post → board timing listens to ingests; these tests send none.
    onIngested: () => {},
    liveSnapshot: async (workshopId: string) => ({ workshopId, seq }) as BoardSnapshot,
    refresh: async () => true,
  } as unknown as WorkshopService;
  const metrics = createHubMetrics();
  const broadcaster = new Broadcaster({ io, service, clock: Date.now, metrics, logger: pino({ level: 'silent' }) });
  const change = () => {
    seq++;
    changeListener(WS);
  };
  return { sent, rooms, broadcaster, change, metrics };
}

describe('Broadcaster', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once and coalesces the rest of the window into one send at its end', async () => {
    const { sent, broadcaster, change, metrics } = setup();
    const start = Date.now();
    change();
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.seq)).toEqual([1]);

    for (let i = 0; i < 20; i++) {
      change();
      await vi.advanceTimersByTimeAsync(10);
    }
    // 201 ms in: still inside the window.
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(sent.map((s) => [s.seq, s.at - start])).toEqual([
      [1, 0],
      [21, 250],
    ]);
    // Counted per receiving socket: two sockets in the room, two sends.
    expect(await metrics.snapshotsSent.get()).toMatchObject({ values: [{ value: 4 }] });
    broadcaster.close();
  });

  it('sends a heartbeat every 15 s while the room has sockets, and lets it lapse when the room empties', async () => {
    const { sent, rooms, broadcaster } = setup();
    broadcaster.watch(WS);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(sent).toHaveLength(3);

    rooms.delete(`ws:${WS}`);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(3);
    broadcaster.close();
  });

  it('counts the heartbeat from the last send, so a busy workshop is not sent extra snapshots', async () => {
    const { sent, broadcaster, change } = setup();
    broadcaster.watch(WS);
    await vi.advanceTimersByTimeAsync(10_000);
    change();
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
    // 15 s after the change's send, not after watch().
    await vi.advanceTimersByTimeAsync(14_998);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(sent).toHaveLength(2);
    broadcaster.close();
  });

  it('sends nothing to an empty room, and nothing at all once closed', async () => {
    const empty = setup(0);
    empty.change();
    await vi.advanceTimersByTimeAsync(1000);
    expect(empty.sent).toHaveLength(0);

    const { sent, broadcaster, change } = setup();
    change();
    change();
    broadcaster.close();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toHaveLength(0);
  });
});
