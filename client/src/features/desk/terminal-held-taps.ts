import { shallowRef, type ShallowRef } from 'vue';

/**
 * How long a "Deliver" tap waits on the desk before it goes to the outbox, so a tap on the wrong
 * car can be undone: handing a car over cannot be taken back at the hub (delivered is final).
 * Long enough to see the row change and tap "Undo", short enough that the board follows promptly.
 */
export const DELIVER_UNDO_MS = 5000;

export interface HeldTaps {
  /** The keys (job ids) held now, for the template. */
  readonly held: ShallowRef<ReadonlySet<string>>;
  /** Holds `send` for `key`; it runs after the delay unless undone. A second hold of the same key is ignored. */
  hold(key: string, send: () => void): void;
  /** Drops a held tap: nothing is sent. */
  undo(key: string): void;
  /** Sends every held tap now (the desk is closing or leaving the page: the tap meant "deliver"). */
  flush(): void;
}

export function heldTaps(delayMs: number, timers: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}): HeldTaps {
  const pending = new Map<string, { handle: unknown; send: () => void }>();
  const held = shallowRef<ReadonlySet<string>>(new Set());
  const publish = () => (held.value = new Set(pending.keys()));

  function release(key: string, send: boolean) {
    const entry = pending.get(key);
    if (!entry) return;
    timers.clear(entry.handle);
    pending.delete(key);
    publish();
    if (send) entry.send();
  }

  return {
    held,
    hold(key, send) {
      if (pending.has(key)) return;
      pending.set(key, { handle: timers.set(() => release(key, true), delayMs), send });
      publish();
    },
    undo: (key) => release(key, false),
    flush() {
      for (const key of [...pending.keys()]) release(key, true);
    },
  };
}
