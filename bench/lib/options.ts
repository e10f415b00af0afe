/**
 * `npm run bench -- [flags]`. Three sizes: the default, a few minutes on a 2-core machine
 * (50 workshops, 500 boards, 200 events/s for 20 s, 200,000 events replayed); --full, the
 * issue's figures (200 workshops, 2,000 boards, 500 events/s for 60 s, 1,000,000 events
 * replayed: about a quarter of an hour); --smoke, a few seconds of tiny numbers that check the
 * harness works (CI), not how fast the hub is. Any flag below overrides the size's value.
 */

export const SECTIONS = ['ingest', 'steady', 'storm', 'fanout', 'memory', 'replay', 'attacks', 'history'] as const;
export type Section = (typeof SECTIONS)[number];
export type StoreName = 'embedded' | 'redis';

export interface HistorySizes {
  /** One workshop's log, short and long (days ending yesterday), for the 8-bay shape. */
  shortDays: number;
  longDays: number;
  /** The same for the busy shape (~300 jobs a day); its long log may be shorter, to preload in time. */
  busyShortDays: number;
  busyLongDays: number;
  /** Requests per measured route (each date of the daily report gets this many)… */
  repeats: number;
  /** …unless a route has used this many seconds of the phase already (at least 3 requests each). */
  routeBudgetSeconds: number;
  /** Workshops configured for the many-workshops restart, days of log each, cold boards asked. */
  workshops: number;
  workshopDays: number;
  coldBoards: number;
  /** Days of the workshop-year written into Redis (scaled to 365 in the figure when fewer). */
  redisDays: number;
}

export interface Options {
  workshops: number;
  boards: number;
  /** Steady offered load, events per second over all workshops. */
  rate: number;
  /** Steady run, seconds. */
  duration: number;
  stores: StoreName[];
  /** Events per request of the batch ingest test. */
  batch: number;
  smoke: boolean;
  /** The sizes (--full). */
  full: boolean;
  profile: boolean;
  /** Seconds measured per ingest ceiling (after a warm-up). */
  saturation: number;
  warmup: number;
  /** Concurrent requests of the single-event and the batch ingest tests. */
  concurrencySingle: number;
  concurrencyBatch: number;
  /** Events written straight into each store for the start-up replay. */
  replayEvents: number;
  /** Workshops given a day of ~300 jobs for the memory-per-workshop figure. */
  memoryWorkshops: number;
  /** The fan-out test: every room gets a snapshot this often (250 ms: the most the contract allows). */
  fanoutIntervalMs: number;
  fanoutSeconds: number;
  /** Issue 14 (bench/lib/history-phase.ts): the sizes of the history section. */
  history: HistorySizes;
  sections: Set<Section>;
  out: string | null;
}

const FULL: Omit<Options, 'stores' | 'smoke' | 'full' | 'profile' | 'sections' | 'out'> = {
  workshops: 200,
  boards: 2000,
  rate: 500,
  duration: 60,
  batch: 100,
  saturation: 8,
  warmup: 2,
  concurrencySingle: 64,
  concurrencyBatch: 16,
  replayEvents: 1_000_000,
  memoryWorkshops: 50,
  fanoutIntervalMs: 250,
  fanoutSeconds: 10,
  history: { shortDays: 30, longDays: 365, busyShortDays: 30, busyLongDays: 365, repeats: 15, routeBudgetSeconds: 20, workshops: 1000, workshopDays: 1, coldBoards: 50, redisDays: 365 },
};

const QUICK: typeof FULL = {
  workshops: 50,
  boards: 500,
  rate: 200,
  duration: 20,
  batch: 100,
  saturation: 3,
  warmup: 1,
  concurrencySingle: 64,
  concurrencyBatch: 16,
  replayEvents: 200_000,
  memoryWorkshops: 20,
  fanoutIntervalMs: 250,
  fanoutSeconds: 5,
  history: { shortDays: 30, longDays: 365, busyShortDays: 30, busyLongDays: 365, repeats: 10, routeBudgetSeconds: 12, workshops: 1000, workshopDays: 1, coldBoards: 50, redisDays: 365 },
};

const SMOKE: typeof FULL = {
  workshops: 4,
  boards: 8,
  rate: 40,
  duration: 3,
  batch: 100,
  saturation: 0.5,
  warmup: 0.2,
  concurrencySingle: 4,
  concurrencyBatch: 2,
  replayEvents: 2000,
  memoryWorkshops: 2,
  fanoutIntervalMs: 250,
  fanoutSeconds: 1,
  history: { shortDays: 2, longDays: 8, busyShortDays: 1, busyLongDays: 2, repeats: 3, routeBudgetSeconds: 2, workshops: 6, workshopDays: 1, coldBoards: 4, redisDays: 3 },
};

const USAGE = `npm run bench -- [options]         (default size in brackets, then --full's)
  --full               the issue's sizes: 200 workshops, 2,000 boards, 500 ev/s for 60 s, 1M replayed
  --smoke              a few seconds with tiny numbers (checks the harness, not the hub)
  --workshops W        workshops in the hub's config [50; 200]
  --boards B           board sockets, spread evenly over the workshops [500; 2000]
  --rate R             steady load, events per second [200; 500]
  --duration S         steady run, seconds [20; 60]
  --store S            embedded | redis | both [both]
  --batch N            events per request in the batch ingest test [100]
  --saturation S       seconds measured per ingest ceiling [3; 8]
  --replay N           events written into each store for the start-up replay [200000; 1000000]
  --memory-workshops M workshops given a day of ~300 jobs for the memory figure [20; 50]
  --fanout-interval MS snapshot interval per room in the fan-out test [250]
  --history-workshops W workshops of the history section's many-workshops restart [1000]
  --busy-days D        days of the busy workshop's long log in the history section [365]
  --only LIST          comma-separated sections: ${SECTIONS.join(',')}
  --profile            run the hub under node --cpu-prof (bench/results/profiles/)
  --out FILE           JSON results file (default bench/results/<timestamp>.json)`;

export function parseOptions(argv: readonly string[]): Options {
  const smoke = argv.includes('--smoke');
  const full = !smoke && argv.includes('--full');
  const o: Options = { ...(smoke ? SMOKE : full ? FULL : QUICK), stores: ['embedded', 'redis'], smoke, full, profile: false, sections: new Set(SECTIONS), out: null };
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number ≥ ${min}, got ${value ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const take = () => {
      i++;
      return value;
    };
    switch (flag) {
      case '--smoke':
      case '--full':
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--workshops':
        o.workshops = Math.floor(number(flag, take(), 1));
        break;
      case '--boards':
        o.boards = Math.floor(number(flag, take(), 1));
        break;
      case '--rate':
        o.rate = number(flag, take(), 1);
        break;
      case '--duration':
        o.duration = number(flag, take(), 1);
        break;
      case '--batch':
        o.batch = Math.min(500, Math.floor(number(flag, take(), 2)));
        break;
      case '--saturation':
        o.saturation = number(flag, take(), 0.5);
        break;
      case '--replay':
        o.replayEvents = Math.floor(number(flag, take(), 1));
        break;
      case '--memory-workshops':
        o.memoryWorkshops = Math.floor(number(flag, take(), 1));
        break;
      case '--history-workshops':
        o.history = { ...o.history, workshops: Math.floor(number(flag, take(), 1)) };
        break;
      case '--busy-days':
        o.history = { ...o.history, busyLongDays: Math.floor(number(flag, take(), 1)) };
        break;
      case '--fanout-interval':
        o.fanoutIntervalMs = number(flag, take(), 1);
        break;
      case '--store': {
        const v = take();
        if (v === 'both') o.stores = ['embedded', 'redis'];
        else if (v === 'embedded' || v === 'redis') o.stores = [v];
        else throw new UsageError(`--store needs embedded, redis or both, got ${v ?? 'nothing'}`);
        break;
      }
      case '--only': {
        const list = (take() ?? '').split(',').filter(Boolean);
        const bad = list.filter((s) => !(SECTIONS as readonly string[]).includes(s));
        if (bad.length > 0 || list.length === 0) throw new UsageError(`--only takes ${SECTIONS.join(', ')}; got ${bad.join(', ') || 'nothing'}`);
        o.sections = new Set(list as Section[]);
        break;
      }
      case '--out':
        o.out = take() ?? null;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  // The storm restarts the hub its boards are on: it needs the steady run's boards.
  if (o.sections.has('storm')) o.sections.add('steady');
  return o;
}

export class UsageError extends Error {
  readonly usage = USAGE;
}
