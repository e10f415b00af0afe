import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { EventResult, PitwallEvent } from '../../shared/events.js';
import type { ClientToServerEvents, EventsAck, ServerToClientEvents } from '../../shared/socket.js';
import { Random } from '../../server/sim/random.js';
import { EventStream, type DayTemplates } from './traffic.js';
import { cpuShare, procSample, summarise, wallMs, type Summary } from './util.js';

/**
 * The bay terminals: they post events over HTTP (`POST /api/v1/workshops/:ws/events`) or the
 * socket `events` message, and count what the hub answered. Two drivers: `saturate` (as many
 * as the hub takes: the ingest ceiling) and `steady` (a fixed rate, every accepted event's seq
 * noted for the latency figures).
 */

export type Door = 'http' | 'socket';

/** The floor of every workshop of one hub's store: each group's stream goes on where it stopped. */
export class Floor {
  readonly streams: EventStream[][];

  constructor(
    readonly workshopIds: readonly string[],
    readonly tokens: readonly string[],
    templates: DayTemplates,
  ) {
    this.streams = workshopIds.map((id) => Array.from({ length: templates.shape.groups }, (_, g) => new EventStream(templates, id, g)));
  }
}

class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port);
    // Idle connections are dropped before the hub's 5 s keep-alive timeout would close them
    // under a request (the keep-alive race: ECONNRESET on a reused socket).
    this.agent = new http.Agent({ keepAlive: true, maxSockets, timeout: 4000 });
  }

  /** A post that met the keep-alive race (reset on a reused connection before any answer) is sent once more: ids make it safe. */
  async post(workshopId: string, token: string, events: PitwallEvent[], terminalId: string): Promise<EventResult[]> {
    try {
      return await this.postOnce(workshopId, token, events, terminalId);
    } catch (err) {
      if ((err as { reusedSocketReset?: boolean }).reusedSocketReset) return this.postOnce(workshopId, token, events, terminalId);
      throw err;
    }
  }

  private postOnce(workshopId: string, token: string, events: PitwallEvent[], terminalId: string): Promise<EventResult[]> {
    const body = JSON.stringify({ events });
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          method: 'POST',
          path: `/api/v1/workshops/${workshopId}/events`,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-pitwall-terminal': terminalId,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
            try {
              resolve((JSON.parse(text) as { results: EventResult[] }).results);
            } catch (err) {
              reject(err as Error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNRESET' && req.reusedSocket) Object.assign(err, { reusedSocketReset: true });
        reject(err);
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

type TerminalSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One terminal socket per workshop (its terminal token opens only that workshop). */
class SocketTerminals {
  private readonly sockets: TerminalSocket[] = [];

  static async open(baseUrl: string, floor: Floor, only?: readonly number[]): Promise<SocketTerminals> {
    const t = new SocketTerminals();
    const indices = only ?? floor.workshopIds.map((_, i) => i);
    await Promise.all(
      indices.map(
        (i) =>
          new Promise<void>((resolve, reject) => {
            const socket: TerminalSocket = io(baseUrl, { forceNew: true, transports: ['websocket'], auth: { token: floor.tokens[i]! }, reconnection: false, timeout: 20_000 });
            t.sockets[i] = socket;
            socket.once('connect', () => {
              socket.emit('terminal:hello', { workshopId: floor.workshopIds[i]!, terminalId: terminalIdOf(i), bayId: null }, () => resolve());
            });
            socket.once('connect_error', (err) => reject(new Error(`terminal socket of ${floor.workshopIds[i]}: ${err.message}`)));
          }),
      ),
    );
    return t;
  }

  post(index: number, workshopId: string, events: PitwallEvent[]): Promise<EventResult[]> {
    const socket = this.sockets[index];
    if (!socket) return Promise.reject(new Error(`no terminal socket for ${workshopId}`));
    return new Promise((resolve, reject) => {
      socket.timeout(30_000).emit('events', { workshopId, events }, (err: Error | null, reply: EventsAck) => {
        if (err) return reject(err);
        if ('error' in reply) return reject(new Error(`${reply.error.code}: ${reply.error.message}`));
        resolve(reply.results);
      });
    });
  }

  close(): void {
    for (const s of this.sockets) s?.disconnect();
  }
}

function terminalIdOf(index: number): string {
  return `bench-term-${String(index + 1).padStart(5, '0')}`;
}

interface Tally {
  accepted: number;
  rejected: number;
  duplicates: number;
  errors: number;
  samples: string[];
}

function tally(t: Tally, results: EventResult[]): number {
  let accepted = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else if (r.status === 'duplicate') t.duplicates++;
    else {
      t.rejected++;
      if (t.samples.length < 5) t.samples.push(`rejected ${r.id}: ${r.error?.message ?? ''}`);
    }
  }
  t.accepted += accepted;
  return accepted;
}

function failed(t: Tally, err: unknown): void {
  t.errors++;
  if (t.samples.length < 5) t.samples.push((err as Error).message);
}

// ---------------------------------------------------------------------------------------------

export interface SaturationResult {
  door: Door;
  batch: number;
  concurrency: number;
  seconds: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  errors: number;
  samples: string[];
  /** Round trip of one request, ms. */
  requestMs: Summary;
  hubCpu: number | null;
  hubCpuMsPer1000: number | null;
}

/**
 * Closed loop: `concurrency` terminals each post `batch` events, wait for the answer, post
 * again, for `warmup + seconds`; events answered `accepted` inside the window count. Each
 * terminal owns whole streams, so a stream never has two requests in flight and every event is
 * valid when it arrives.
 */
export async function saturate(opts: { baseUrl: string; floor: Floor; door: Door; batch: number; concurrency: number; seconds: number; warmupSeconds: number; hubPid: number }): Promise<SaturationResult> {
  const { floor } = opts;
  const streams = floor.streams[0]!.flatMap((_, g) => floor.workshopIds.map((_, i) => ({ index: i, stream: floor.streams[i]![g]! })));
  const concurrency = Math.min(opts.concurrency, streams.length);
  const httpClient = opts.door === 'http' ? new HttpClient(opts.baseUrl, concurrency) : null;
  const sockets = opts.door === 'socket' ? await SocketTerminals.open(opts.baseUrl, floor) : null;
  const t: Tally = { accepted: 0, rejected: 0, duplicates: 0, errors: 0, samples: [] };
  const roundTrips: number[] = [];
  let requests = 0;

  const start = wallMs();
  const windowStart = start + opts.warmupSeconds * 1000;
  const end = windowStart + opts.seconds * 1000;
  let cpuStart: ReturnType<typeof procSample> = null;
  const startTimer = setTimeout(() => (cpuStart = procSample(opts.hubPid)), opts.warmupSeconds * 1000);

  const worker = async (w: number) => {
    const mine = streams.filter((_, s) => s % concurrency === w);
    for (let k = 0; wallMs() < end; k++) {
      const { index, stream } = mine[k % mine.length]!;
      const sent = wallMs();
      const events = stream.take(opts.batch, Date.now());
      try {
        const results =
          httpClient !== null
            ? await httpClient.post(floor.workshopIds[index]!, floor.tokens[index]!, events, terminalIdOf(index))
            : await sockets!.post(index, floor.workshopIds[index]!, events);
        const done = wallMs();
        if (done >= windowStart && done <= end) {
          tally(t, results);
          requests++;
          roundTrips.push(done - sent);
        }
      } catch (err) {
        failed(t, err);
        if (t.errors > 50) throw new Error(`ingest (${opts.door}, batch ${opts.batch}) keeps failing: ${t.samples.join(' | ')}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  clearTimeout(startTimer);
  const cpuEnd = procSample(opts.hubPid);
  httpClient?.close();
  sockets?.close();
  const seconds = opts.seconds;
  const cpu = cpuShare(cpuStart, cpuEnd);
  return {
    door: opts.door,
    batch: opts.batch,
    concurrency,
    seconds,
    eventsPerSecond: t.accepted / seconds,
    requestsPerSecond: requests / seconds,
    accepted: t.accepted,
    rejected: t.rejected,
    duplicates: t.duplicates,
    errors: t.errors,
    samples: t.samples,
    requestMs: summarise(roundTrips),
    hubCpu: cpu,
    hubCpuMsPer1000: cpu !== null && t.accepted > 0 ? (cpu * seconds * 1000 * 1000) / t.accepted : null,
  };
}

// ---------------------------------------------------------------------------------------------

export interface SteadyRecords {
  ws: Int32Array;
  seq: Int32Array;
  t: Float64Array;
  quiet: Uint8Array;
}

export interface SteadyResult {
  seconds: number;
  offeredPerSecond: number;
  acceptedPerSecond: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  errors: number;
  samples: string[];
  quietProbes: number;
  /** How long an event waited in the terminal because its workshop's previous post was still out, ms. */
  terminalQueueMs: Summary;
  requestMs: Summary;
  /** Last seq of every workshop (what a board must show to be current). */
  finalSeq: Record<string, number>;
  records: SteadyRecords;
}

/**
 * A fixed offered rate spread at random over the busy workshops (single-event posts, half the
 * workshops over HTTP, half over their terminal socket), plus a probe now and then into one of
 * the quiet workshops. A workshop's posts go one at a time, so the hub's seq after each answer
 * is known: base + events accepted so far; that seq is what a board's snapshot must reach.
 */
export async function steady(opts: {
  baseUrl: string;
  floor: Floor;
  busy: readonly number[];
  quiet: readonly number[];
  baseSeq: readonly number[];
  rate: number;
  seconds: number;
  /** Each quiet workshop gets a probe about this often… */
  quietEveryMs: number;
  /** …from this many seconds on (the warm-up, whose posts the latency figures leave out). */
  quietFromSeconds: number;
  onSecond?: () => void;
}): Promise<SteadyResult> {
  const { floor } = opts;
  const n = floor.workshopIds.length;
  const door = (i: number): Door => (i % 2 === 0 ? 'http' : 'socket');
  const socketIndices = [...opts.busy, ...opts.quiet].filter((i) => door(i) === 'socket');
  const sockets = await SocketTerminals.open(opts.baseUrl, floor, socketIndices);
  const httpClient = new HttpClient(opts.baseUrl, 256);
  const t: Tally = { accepted: 0, rejected: 0, duplicates: 0, errors: 0, samples: [] };
  const seq = Array.from(opts.baseSeq);
  const inFlight = new Uint8Array(n);
  const pending: number[][] = Array.from({ length: n }, () => []);
  const nextGroup = new Uint32Array(n);
  const rec = { ws: [] as number[], seq: [] as number[], t: [] as number[], quiet: [] as number[] };
  const queueWaits: number[] = [];
  const roundTrips: number[] = [];
  const isQuiet = new Uint8Array(n);
  for (const i of opts.quiet) isQuiet[i] = 1;
  let inFlightTotal = 0;
  let quietProbes = 0;

  const send = (i: number, dueAt: number) => {
    inFlight[i] = 1;
    inFlightTotal++;
    const groups = floor.streams[i]!;
    const g = nextGroup[i]!;
    nextGroup[i] = g + 1;
    const stream = groups[g % groups.length]!;
    const event = stream.next(Date.now());
    const sentAt = wallMs();
    queueWaits.push(sentAt - dueAt);
    const id = floor.workshopIds[i]!;
    const post = door(i) === 'http' ? httpClient.post(id, floor.tokens[i]!, [event], terminalIdOf(i)) : sockets.post(i, id, [event]);
    post.then(
      (results) => {
        roundTrips.push(wallMs() - sentAt);
        if (tally(t, results) === 1) {
          seq[i]!++;
          rec.ws.push(i);
          rec.seq.push(seq[i]!);
          rec.t.push(sentAt);
          rec.quiet.push(isQuiet[i]!);
        }
      },
      (err: unknown) => failed(t, err),
    ).finally(() => {
      inFlight[i] = 0;
      inFlightTotal--;
      const due = pending[i]!.shift();
      if (due !== undefined) send(i, due);
    });
  };
  const offer = (i: number, dueAt: number) => {
    if (inFlight[i]) pending[i]!.push(dueAt);
    else send(i, dueAt);
  };

  const random = new Random(4242);
  const start = wallMs();
  const end = start + opts.seconds * 1000;
  let offered = 0;
  let nextQuiet = 0;
  let lastSecond = start;
  const quietInterval = opts.quiet.length > 0 ? opts.quietEveryMs / opts.quiet.length : Infinity;
  let nextProbeAt = start + opts.quietFromSeconds * 1000 + Math.min(quietInterval, 100);

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = wallMs();
      if (now >= end) return resolve();
      const due = Math.floor(((now - start) / 1000) * opts.rate);
      while (offered < due && opts.busy.length > 0) {
        offered++;
        offer(opts.busy[Math.floor(random.next() * opts.busy.length)]!, now);
      }
      if (now >= nextProbeAt) {
        const i = opts.quiet[nextQuiet++ % opts.quiet.length]!;
        quietProbes++;
        offer(i, now);
        nextProbeAt += quietInterval;
      }
      if (now - lastSecond >= 1000) {
        lastSecond = now;
        opts.onSecond?.();
      }
      setTimeout(tick, 2);
    };
    tick();
  });
  // Let the posts still out come back (their events count: they were offered in the window).
  const drainDeadline = wallMs() + 30_000;
  while (inFlightTotal > 0 && wallMs() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
  sockets.close();
  httpClient.close();
  return {
    seconds: opts.seconds,
    offeredPerSecond: opts.rate,
    acceptedPerSecond: t.accepted / opts.seconds,
    accepted: t.accepted,
    rejected: t.rejected,
    duplicates: t.duplicates,
    errors: t.errors,
    samples: t.samples,
    quietProbes,
    terminalQueueMs: summarise(queueWaits),
    requestMs: summarise(roundTrips),
    finalSeq: Object.fromEntries(floor.workshopIds.map((id, i) => [id, seq[i]!])),
    records: { ws: Int32Array.from(rec.ws), seq: Int32Array.from(rec.seq), t: Float64Array.from(rec.t), quiet: Uint8Array.from(rec.quiet) },
  };
}
