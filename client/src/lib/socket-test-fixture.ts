/** localStorage's contract (the outbox's KeyValueStorage) over a Map: what survives a reload is what is in here. */
export class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

type Handler = (...args: never[]) => void;

/**
 * Just enough of a socket.io client for a feed's tests: the test plays the hub, firing its
 * events (`fire`) and answering what the page emits with an ack (`answer`, which a test's
 * subclass overrides; by default any emit is unexpected).
 */
export class FakeHubSocket {
  connected = false;
  active = true;
  connects = 0;
  disconnected = false;
  protected handlers = new Map<string, Handler[]>();
  readonly io = { on: () => this.io, off: () => this.io };

  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  /** The hub's answer to an emit with an ack: an error (no answer in time), or the reply. */
  answer(event: string, _payload: unknown): [Error] | [null, unknown] {
    throw new Error(`unexpected emit ${event}`);
  }
  timeout(_ms: number) {
    return {
      emit: (event: string, payload: unknown, cb: (err: Error | null, reply?: never) => void) => {
        const [err, reply] = this.answer(event, payload);
        cb(err, reply as never);
      },
    };
  }
  connect() {
    this.connects += 1;
    return this;
  }
  disconnect() {
    this.disconnected = true;
    this.connected = false;
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  /** The hub's side. */
  fire(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const fn of this.handlers.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
}
