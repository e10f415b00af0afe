import { retryDelayMs } from './backoff.js';
import { isDelivered, isRetryable, postWebhook, type AttemptResult, type WebhookMessage, type WebhookTarget } from './post-webhook.js';

/**
 * The messages waiting for one endpoint, sent one at a time in order (a receiver sees a job's
 * `turn_soon` before its `ready`), each retried with backoff until delivered, refused, or older
 * than `retryForMs`. Bounded: at most `cap` messages (the one in flight included); a message
 * that finds it full is dropped and reported. Nothing here is awaited by the events path.
 */

export interface QueueSettings {
  /** Messages held per endpoint (PITWALL_WEBHOOK_QUEUE_CAP). */
  cap: number;
  /** One attempt's time limit (PITWALL_WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long a message is tried, from when it was queued (PITWALL_WEBHOOK_RETRY_MINUTES). */
  retryForMs: number;
  /** The first retry's delay, doubled each time up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export type AttemptOutcome = 'delivered' | 'retrying' | 'refused' | 'expired';

export interface AttemptReport {
  message: WebhookMessage;
  /** 1 for the first attempt; 0 when a message expired before it was tried again. */
  attempt: number;
  outcome: AttemptOutcome;
  result: AttemptResult | null;
  ms: number;
}

interface Pending {
  message: WebhookMessage;
  queuedAt: number;
  attempts: number;
}

export class EndpointQueue {
  private readonly items: Pending[] = [];
  private sending = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly stop = new AbortController();

  constructor(
    private readonly target: WebhookTarget,
    private readonly settings: QueueSettings,
    private readonly report: (r: AttemptReport) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get depth(): number {
    return this.items.length;
  }

  /** Queues a message; false when the queue is full (the caller reports the drop). */
  push(message: WebhookMessage): boolean {
    if (this.closed || this.items.length >= this.settings.cap) return false;
    this.items.push({ message, queuedAt: this.now(), attempts: 0 });
    this.pump();
    return true;
  }

  /** Stops retrying and aborts the request in flight. What is queued is dropped. */
  close(): void {
    this.closed = true;
    this.stop.abort();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.items.length = 0;
  }

  private pump(): void {
    if (this.sending || this.retryTimer || this.closed) return;
    const head = this.items[0];
    if (!head) return;
    if (head.attempts > 0 && this.now() - head.queuedAt >= this.settings.retryForMs) {
      this.items.shift();
      this.report({ message: head.message, attempt: 0, outcome: 'expired', result: null, ms: 0 });
      return this.pump();
    }
    this.sending = true;
    void this.attempt(head);
  }

  private async attempt(head: Pending): Promise<void> {
    head.attempts++;
    const started = this.now();
    const result = await postWebhook(this.target, head.message, this.settings.timeoutMs, started, this.stop.signal);
    this.sending = false;
    if (this.closed) return;
    const ms = this.now() - started;
    const expired = this.now() - head.queuedAt >= this.settings.retryForMs;
    const outcome: AttemptOutcome = isDelivered(result) ? 'delivered' : !isRetryable(result) ? 'refused' : expired ? 'expired' : 'retrying';
    this.report({ message: head.message, attempt: head.attempts, outcome, result, ms });
    if (outcome !== 'retrying') {
      this.items.shift();
      return this.pump();
    }
    const delay = retryDelayMs(head.attempts, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, Math.min(delay, Math.max(0, head.queuedAt + this.settings.retryForMs - this.now())));
    // A hub that stops does not wait for a receiver's retries.
    this.retryTimer.unref();
  }
}
