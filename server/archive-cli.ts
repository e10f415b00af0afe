import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { StoredEvent } from '../shared/events.js';
import { archivedWorkshops } from './archive/archive-files.js';
import { describeReport, verifyWorkshop } from './archive/verify.js';
import { ConfigError } from './config/config-file.js';
import { readEnv } from './config/env.js';
import { EmbeddedEventStore } from './store/embedded/embedded-store.js';
import type { EventStore } from './store/event-store.js';
import { RedisEventStore } from './store/redis/redis-store.js';

/**
 * `npm run archive -- verify [--workshop <id>] [--reference <file.jsonl[.gz]>]` (in the image:
 * `node dist/server/archive-cli.js verify …`): checks that the archive (PITWALL_ARCHIVE_DIR) and
 * the store's hot log (REDIS_URL, else PITWALL_DATA_DIR, as the hub reads them) hold every
 * event of each workshop exactly once (server/archive/verify.ts). Without --workshop, every
 * workshop with an archive folder. A reference is a file of stored events, one JSON line each
 * (gzip if it ends in .gz): each must be there, identical. Exit 0 when all is well, 1 on any
 * problem, 2 on bad usage. With the embedded store, stop the hub first (one process per data
 * directory, as for repair-log).
 */

const USAGE = 'usage: npm run archive -- verify [--workshop <id>] [--reference <file.jsonl[.gz]>]';

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const flags = parseFlags(rest);
  if (command !== 'verify' || flags === null || (flags.reference !== undefined && flags.workshop === undefined)) {
    console.error(`${USAGE}\n  (--reference needs --workshop)`);
    return 2;
  }
  const env = readEnv(process.env);
  const store: EventStore = env.redisUrl !== undefined ? await RedisEventStore.connect(env.redisUrl, { onError: () => {} }) : await EmbeddedEventStore.open(env.dataDir);
  try {
    const workshops = flags.workshop !== undefined ? [flags.workshop] : await archivedWorkshops(env.archiveDir);
    if (workshops.length === 0) console.log(`no workshop has an archive under ${env.archiveDir}; name one with --workshop`);
    const reference = flags.reference !== undefined ? await readReference(flags.reference) : undefined;
    let failed = 0;
    for (const workshopId of workshops) {
      const report = await verifyWorkshop(store, workshopId, env.archiveDir, reference);
      console.log(describeReport(report));
      if (report.problems.length > 0) failed++;
    }
    console.log(`${workshops.length - failed} of ${workshops.length} workshop(s) complete (archive ${env.archiveDir}, store ${store.describe()})`);
    return failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

function parseFlags(args: string[]): { workshop?: string; reference?: string } | null {
  const flags: { workshop?: string; reference?: string } = {};
  for (let i = 0; i < args.length; i += 2) {
    const value = args[i + 1];
    if (value === undefined) return null;
    if (args[i] === '--workshop') flags.workshop = value;
    else if (args[i] === '--reference') flags.reference = value;
    else return null;
  }
  return flags;
}

async function readReference(file: string): Promise<StoredEvent[]> {
  const bytes = await readFile(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as StoredEvent];
    } catch (err) {
      throw new Error(`reference ${file}, line ${i + 1}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`archive: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
    process.exit(1);
  },
);
