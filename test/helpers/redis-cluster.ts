import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireBinary } from './find-binary.js';
import { freePort } from './hub-process.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';

/**
 * A throwaway Redis Cluster for integration tests: six real redis-server processes (3 masters,
 * 3 replicas) on free ports of 127.0.0.1, each in its own temp dir with `appendonly yes` and
 * `appendfsync always`, joined by `redis-cli --cluster create`. A short cluster-node-timeout
 * lets a replica take over a killed master within a few seconds. `stop()` stops every node and
 * removes the dirs; call it in afterAll whatever happened.
 */

export interface RedisClusterHandle {
  /** `redis+cluster://127.0.0.1:p1,…` naming the three first masters as seeds (REDIS_URL's cluster form). */
  url: string;
  nodes: RedisServerHandle[];
  /** The node serving `key`'s slot as master now. */
  masterOf(key: string): Promise<RedisServerHandle>;
  /** `redis-cli -p <node's port> …args`: its output. */
  cli(node: RedisServerHandle, ...args: string[]): Promise<string>;
  /** A running replica of `master`, if it has one. */
  replicaOf(master: RedisServerHandle): Promise<RedisServerHandle | undefined>;
  /** SIGKILL, like a crash; the node is left out of the health checks from then on. */
  kill(node: RedisServerHandle): Promise<void>;
  /**
   * Resolves once every running node says `cluster_state:ok`, every running replica's link to
   * its master is up (synced: WAIT counts it), and `key`'s slot has a running master.
   */
  waitUntilHealthy(key?: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const CLUSTER_NODE_TIMEOUT_MS = 1000;
const NODES = 6;
const exec = promisify(execFile);

export async function startRedisCluster(): Promise<RedisClusterHandle> {
  const cli = requireBinary('redis-cli', 'redis-tools', 'the Redis Cluster tests');
  const nodes: RedisServerHandle[] = [];
  const running = new Set<RedisServerHandle>();
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (let i = 0; i < NODES; i++) {
      // The bus port is usually port + 10000, past 65535 for a high free port: named instead.
      const busPort = await freePort();
      const node = await startRedisServer({
        appendonly: true,
        extraArgs: [
          ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
          ...['--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS), '--cluster-port', String(busPort)],
          // A replica's first sync otherwise waits 5 s for other replicas to share the transfer.
          ...['--repl-diskless-sync-delay', '0'],
        ],
      });
      nodes.push(node);
    }
    await exec(cli, ['--cluster', 'create', ...nodes.map(address), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  for (const n of nodes) running.add(n);

  const ask = async (node: RedisServerHandle, ...args: string[]) => (await exec(cli, ['-p', String(node.port), ...args], { timeout: 5000 })).stdout.trim();
  const alive = () => nodes.filter((n) => running.has(n));
  /** CLUSTER NODES as seen by a running node: "<id> <ip:port@bus> <flags> <master id|-> … <slot ranges>". */
  const clusterNodes = async () =>
    (await ask(alive()[0]!, 'cluster', 'nodes')).split('\n').map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , , ...ranges] = line.split(' ');
      const port = Number(address.split('@')[0]?.split(':')[1]);
      return { id, flags, masterId, ranges, node: nodes.find((n) => n.port === port) };
    });
  const masterOf = async (key: string): Promise<RedisServerHandle> => {
    const slot = Number(await ask(alive()[0]!, 'cluster', 'keyslot', key));
    for (const entry of await clusterNodes()) {
      if (!entry.flags.includes('master') || entry.flags.includes('fail')) continue;
      const serves = entry.ranges.some((r) => {
        const [from, to = from] = r.split('-').map(Number);
        return slot >= from! && slot <= to!;
      });
      if (serves && entry.node) return entry.node;
    }
    throw new Error(`no master serves the slot of ${key}`);
  };

  return {
    url: `redis+cluster://${nodes.slice(0, 3).map(address).join(',')}`,
    nodes,
    masterOf,
    cli: ask,
    async replicaOf(master) {
      const all = await clusterNodes();
      const id = all.find((e) => e.node === master)?.id;
      return all.find((e) => e.masterId === id && e.flags.includes('slave') && e.node && running.has(e.node))?.node;
    },
    async kill(node) {
      running.delete(node);
      await node.kill();
    },
    async waitUntilHealthy(key = 'probe', timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        try {
          const states = await Promise.all(alive().map(async (n) => `${await ask(n, 'cluster', 'info')}\n${await ask(n, 'info', 'replication')}`));
          const master = await masterOf(key);
          const ok = (s: string) => s.includes('cluster_state:ok') && (s.includes('role:master') || s.includes('master_link_status:up'));
          if (states.every(ok) && running.has(master)) return;
          last = `master of ${key} on port ${master.port}, states: ${states.map((s) => /cluster_state:\w+/.exec(s)?.[0] + ' ' + (/master_link_status:\w+/.exec(s)?.[0] ?? 'master')).join(', ')}`;
        } catch (err) {
          last = (err as Error).message;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the Redis Cluster was not healthy within ${timeoutMs} ms: ${last}`);
    },
    stop,
  };
}

const address = (node: RedisServerHandle) => `127.0.0.1:${node.port}`;
