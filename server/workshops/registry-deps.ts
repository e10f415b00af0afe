import type { Logger } from 'pino';
import type { PitwallConfig } from '../config/config-file.js';
import type { EventStore } from '../store/event-store.js';

/** What the hub gives its workshops (registry.ts, `Workshops.open`). */
export interface WorkshopsDeps {
  config: PitwallConfig;
  store: EventStore;
  logger: Logger;
  /** The hub's clock (ms); tests pin it to script a day. */
  clock?: () => number;
  /** New events dated more than this before the clock are refused as `too_old` (engine/projection.ts). */
  maxEventAgeMs?: number;
  /** How often every workshop ticks (default TICK_EVERY_MS). */
  tickMs?: number;
  /** An open workshop nobody asked for this long, with no car on its floor, is closed (open-workshops.ts). */
  idleCloseMs?: number;
  /** PITWALL_ARCHIVE_DIR: set, the hub archives and trims each open workshop's log daily (retention.ts); read back where the store no longer has it. */
  archiveDir?: string;
  /** PITWALL_LOG_RETENTION_DAYS in ms: the hot log keeps at least this much. */
  logRetentionMs?: number;
  /** PITWALL_CUSTOMER_LINK_HOURS in ms: a customer's link stops opening this long after delivery or cancellation (default 24 h). */
  customerLinkTtlMs?: number;
}
