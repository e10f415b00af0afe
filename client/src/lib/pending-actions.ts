import { reactive } from 'vue';
import { ApiRequestError } from './api.js';

/** Why a request failed, in the hub's words when it answered (a refusal: the field's reason first), else the network's. */
export function failureText(err: unknown): string {
  if (err instanceof ApiRequestError) return err.error.details?.[0]?.message ?? err.error.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Buttons that call the hub, one per key (an alert's metric, a job): which call is in flight,
 * and why the last one failed, said beside the button until the next try. A tap while the
 * key's call is in flight does nothing, so a double tap sends once.
 */
export function pendingActions() {
  const state = reactive<Record<string, 'sending' | { failed: string }>>({});
  return {
    sending: (key: string | null) => key !== null && state[key] === 'sending',
    failure(key: string | null): string | null {
      const s = key !== null ? state[key] : undefined;
      return s !== undefined && s !== 'sending' ? s.failed : null;
    },
    /** Runs `action` for `key`; it resolves with a refusal's sentence, or null when the hub took it. */
    async run(key: string, action: () => Promise<string | null>): Promise<void> {
      if (state[key] === 'sending') return;
      state[key] = 'sending';
      try {
        const refused = await action();
        if (refused === null) delete state[key];
        else state[key] = { failed: refused };
      } catch (err) {
        state[key] = { failed: failureText(err) };
      }
    },
  };
}
