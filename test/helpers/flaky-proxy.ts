import net from 'node:net';

/**
 * A TCP proxy between a client and the hub that behaves like workshop Wi-Fi: it can cut every
 * connection at once, refuse new ones for a while, and hold each chunk back by a delay (in
 * order, like a slow link). HTTP and WebSocket both go through it untouched otherwise.
 */
export interface FlakyProxy {
  port: number;
  url: string;
  /** Cuts every open connection (both directions, no goodbye). */
  dropAll(): void;
  /** While down, new connections are accepted and cut at once. */
  setDown(down: boolean): void;
  /** Latency added to every chunk in both directions, in ms. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startFlakyProxy(targetPort: number): Promise<FlakyProxy> {
  const open = new Set<net.Socket>();
  let down = false;
  let delay = 0;

  /**
   * Forwards chunks from `from` to `to`, each `delay` ms after it arrived (a link's latency:
   * chunks in flight overlap, as on a real network), never out of order.
   */
  const forward = (from: net.Socket, to: net.Socket) => {
    let chain = Promise.resolve();
    from.on('data', (chunk) => {
      const due = Date.now() + delay;
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!to.destroyed) to.write(chunk);
      });
    });
  };

  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => {
        open.delete(s);
        client.destroy();
        upstream.destroy();
      });
      s.on('error', () => undefined);
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    dropAll: () => {
      for (const s of open) s.destroy();
    },
    setDown: (d) => {
      down = d;
    },
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
