import type { Logger } from 'pino';
import { z } from 'zod';
import { terminalId } from '../../shared/snapshot.js';
import { SOCKET_RATE_LIMITED, type AlertAckReply, type ApiError, type EventsAck, type SubscribeAck, type TerminalHelloAck, type UnsubscribeAck } from '../../shared/socket.js';
import { errorReply } from '../error-reply.js';
import { fail } from '../errors.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { budgetExceeded } from '../limits/budget-refusal.js';
import { eventsCost } from '../limits/events-cost.js';
import type { TokenBudget } from '../limits/token-budget.js';
import { roomOf, type HubSocket } from './io.js';

/**
 * The client → hub messages (docs/api.md, "Socket.IO"). Payloads come from the network, so the
 * typed signatures are a promise nobody enforces: every argument is parsed, an ack that is not
 * a function is tolerated, and no throw or rejection may escape (it would take the hub down).
 */

const workshopId = z.string({ error: 'must be a workshop id (string)' }).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' });
/** `events` itself is the service's to judge (400 for a missing or oversized array), as over HTTP. */
const eventsMessage = z.object({ workshopId, events: z.unknown() }, { error: 'must be an object { workshopId, events }' });

/** Bounded before anything else looks at them: a terminal's ids end up in every board snapshot. */
const terminalHello = z.object(
  {
    workshopId,
    terminalId,
    bayId: z.string({ error: 'must be a bay id (string) or null' }).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }).nullable().optional(),
  },
  { error: 'must be an object { workshopId, terminalId, bayId }' },
);

const alertAck = z.object({ workshopId, metric: z.string({ error: 'must be a string' }).min(1).max(80) }, { error: 'must be an object { workshopId, metric }' });

export interface HandlerDeps {
  service: WorkshopService;
  clock: () => number;
  logger: Logger;
  /** A socket joined a workshop's room: the broadcaster starts its heartbeat. */
  onSubscribed(workshopId: string): void;
  /** The token's budget, the same one HTTP spends (docs/security.md): every message but `unsubscribe` costs. */
  budget: TokenBudget;
}

type Ack<T> = (reply: T) => void;

export function registerHandlers(socket: HubSocket, deps: HandlerDeps): void {
  const { service, clock, logger, onSubscribed, budget } = deps;
  const principal = socket.data.principal;
  // The handshake's token, a string the auth middleware checked before any handler runs: the
  // budget's key, so a token's sockets and its HTTP requests on any hub share one budget.
  const token = String((socket.handshake.auth as { token?: unknown }).token);

  /**
   * Takes the message's cost first, before it is parsed (a malformed message costs 1 too), and
   * resolves in the order the messages came: each take goes out at once (a hub's takes share
   * Redis round trips), but a message is handled only after the one before it got its answer,
   * so a start never overtakes the hello or the check-in sent just before it. 0: no cost, only
   * the turn (`unsubscribe` must not overtake the `subscribe` it follows).
   */
  let previous: Promise<unknown> = Promise.resolve();
  function spend(points: number): Promise<void> {
    const taken = points > 0 ? budget.take(token, points) : undefined;
    // Handled now, awaited in turn: a failure before its turn must not count as unhandled.
    taken?.catch(() => undefined);
    const turn = previous.then(async () => {
      const verdict = await taken;
      if (verdict && !verdict.ok) throw budgetExceeded(verdict);
    });
    previous = turn.catch(() => undefined);
    return turn;
  }

  socket.on('subscribe', (...args: unknown[]) => {
    const { payload, ack } = split<SubscribeAck>(args);
    void guard(
      async () => {
        await spend(1);
        const id = parse(workshopId, payload, 'workshopId');
        // The service authorises (404 / 403) and computes in one call; join only once allowed,
        // so a forbidden socket never sees a broadcast of that workshop.
        const snapshot = await service.snapshot(id, principal, clock());
        // Gone meanwhile: joining now would leave a room entry that no disconnect ever removes.
        if (socket.disconnected) return;
        await socket.join(roomOf(id));
        onSubscribed(id);
        if (ack) ack({ ok: true, snapshot });
        // A client that asked for no ack still gets its first board at once.
        else socket.emit('snapshot', snapshot);
      },
      (error) => ack?.({ ok: false, error }),
    );
  });

  socket.on('unsubscribe', (...args: unknown[]) => {
    const { payload, ack } = split<UnsubscribeAck>(args);
    void guard(
      async () => {
        await spend(0);
        const id = parse(workshopId, payload, 'workshopId');
        // Leaving a room one is not in is a no-op: unsubscribe is idempotent.
        await socket.leave(roomOf(id));
        ack?.({ ok: true });
      },
      (error) => ack?.({ ok: false, error }),
    );
  });

  socket.on('terminal:hello', (...args: unknown[]) => {
    const { payload, ack } = split<TerminalHelloAck>(args);
    void guard(
      async () => {
        // Registering a terminal costs like any request (a socket once registered 50,000 made-up ids in 1.8 s).
        await spend(1);
        const hello = parse(terminalHello, payload, '');
        service.terminalSeen(hello.workshopId, principal, hello.terminalId, hello.bayId, clock());
        socket.data.terminal = { workshopId: hello.workshopId, terminalId: hello.terminalId };
        ack?.({ ok: true });
      },
      (error) => ack?.({ ok: false, error }),
    );
  });

  socket.on('alert:ack', (...args: unknown[]) => {
    const { payload, ack } = split<AlertAckReply>(args);
    void guard(
      async () => {
        await spend(1);
        const msg = parse(alertAck, payload, '');
        service.acknowledgeAlert(msg.workshopId, principal, msg.metric, clock());
        ack?.({ ok: true });
      },
      (error) => ack?.({ ok: false, error }),
    );
  });

  socket.on('events', (...args: unknown[]) => {
    const { payload, ack } = split<EventsAck>(args);
    void guard(
      async () => {
        // Its number of events, as over HTTP; refused whole: nothing applied, no terminal contact.
        await spend(eventsCost(payload));
        const message = parse(eventsMessage, payload, '');
        const terminal = socket.data.terminal;
        if (terminal?.workshopId === message.workshopId) service.terminalSeen(terminal.workshopId, principal, terminal.terminalId, undefined, clock());
        // Without an ack the events are still ingested: the sender will learn the outcome
        // from the board, and dropping them would lose accepted work silently.
        const results = await service.ingest(message.workshopId, { events: message.events }, principal);
        ack?.({ results });
      },
      (error) => ack?.({ error }),
    );
  });

  /** Runs one handler; any failure becomes the contract's error object for the ack, never a crash. */
  async function guard(work: () => Promise<void>, reply: (error: ApiError) => void): Promise<void> {
    try {
      await work();
    } catch (err) {
      const r = errorReply(err);
      if (r.unexpected) logger.error({ err, socketId: socket.id }, 'unexpected error handling a socket message');
      else if (r.status === 503) logger.warn({ err, socketId: socket.id }, 'store unavailable');
      // HTTP answers 429 (and the store's 503s) with Retry-After; an ack has no status or
      // headers, so it says both itself: `rate_limited` for a 429, the store's own code for a 503.
      const error =
        r.retryAfterSeconds === undefined
          ? r.error
          : { ...r.error, ...(r.status === 429 && { code: SOCKET_RATE_LIMITED }), retryAfterSeconds: r.retryAfterSeconds };
      try {
        reply(error);
      } catch (ackErr) {
        // The ack itself failed (socket gone mid-reply): nothing left to tell anyone.
        logger.debug({ err: ackErr }, 'socket ack failed');
      }
    }
  }
}

/** The payload is the first argument; the ack, by Socket.IO's convention, the last, when it is a function. */
function split<T>(args: unknown[]): { payload: unknown; ack: Ack<T> | undefined } {
  const last = args.at(-1);
  const ack = typeof last === 'function' ? (last as Ack<T>) : undefined;
  return { payload: ack !== undefined && args.length === 1 ? undefined : args[0], ack };
}

function parse<S extends z.ZodType>(schema: S, value: unknown, path: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: [path, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
  throw fail.badRequest('malformed message', details);
}
