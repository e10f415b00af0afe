import type { Logger } from 'pino';
import type { z } from 'zod';
import { clientMessages } from '../../shared/socket.js';
import { postEvents } from '../edges/post-events.js';
import { reportFailure } from '../error-reply.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { eventsCost } from '../limits/events-cost.js';
import type { TokenBudget } from '../limits/token-budget.js';
import { ackError, parsePayload, splitArgs } from './ack.js';
import { roomOf, type HubSocket } from './io.js';
import { messageTurns } from './message-turns.js';

/**
 * The client → hub messages (docs/api.md, "Socket.IO"; their schemas in shared/socket.ts).
 * Payloads come from the network, so the typed signatures are a promise nobody enforces: every
 * argument is parsed, an ack that is not a function is tolerated, and no throw or rejection
 * may escape (it would take the hub down). Every ack is `{ ok: true, … }` or `{ ok: false, error }`.
 */

export interface HandlerDeps {
  service: WorkshopService;
  clock: () => number;
  logger: Logger;
  /** A socket joined a workshop's room: the broadcaster starts its heartbeat. */
  onSubscribed(workshopId: string): void;
  /** The token's budget, the same one HTTP spends (docs/security.md): every message but `unsubscribe` costs. */
  budget: TokenBudget;
}

type MessageName = keyof typeof clientMessages;

interface MessageHandler<N extends MessageName> {
  /** Budget points, from the raw payload (a malformed message costs 1 too). */
  cost(payload: unknown): number;
  /** Where a field of a malformed payload is named: the bare id of `subscribe` is `workshopId`. */
  path: string;
  /** Resolves with what the `{ ok: true, … }` ack carries; undefined: no answer (the socket is gone). */
  handle(message: z.infer<(typeof clientMessages)[N]>, hasAck: boolean): Promise<object | undefined>;
}

export function registerHandlers(socket: HubSocket, deps: HandlerDeps): void {
  // The handshake's token, a string the auth middleware checked before any handler runs: the
  // budget's key, so a token's sockets and its HTTP requests on any hub share one budget.
  const pay = messageTurns(deps.budget, String((socket.handshake.auth as { token?: unknown }).token));
  const handlers = messageHandlers(socket, deps);
  for (const name of Object.keys(clientMessages) as MessageName[]) {
    socket.on(name, (...args: unknown[]) => void answer(name, handlers[name] as MessageHandler<typeof name>, args));
  }

  /** Runs one message; any failure becomes the ack's error, never a crash. */
  async function answer<N extends MessageName>(name: N, handler: MessageHandler<N>, args: unknown[]): Promise<void> {
    const { payload, ack } = splitArgs(args);
    let reply: object | undefined;
    try {
      await pay(handler.cost(payload));
      const message = parsePayload(clientMessages[name], payload, handler.path) as z.infer<(typeof clientMessages)[N]>;
      const body = await handler.handle(message, ack !== undefined);
      reply = body && { ok: true, ...body };
    } catch (err) {
      reply = { ok: false, error: ackError(reportFailure(deps.logger, err, { socketId: socket.id }, 'unexpected error handling a socket message')) };
    }
    try {
      if (reply) ack?.(reply);
    } catch (ackErr) {
      // The ack itself failed (socket gone mid-reply): nothing left to tell anyone.
      deps.logger.debug({ err: ackErr }, 'socket ack failed');
    }
  }
}

/** What each message does once paid for and parsed; authorisation (404 / 403) is the service's. */
function messageHandlers(socket: HubSocket, { service, clock, onSubscribed }: HandlerDeps): { [N in MessageName]: MessageHandler<N> } {
  const principal = socket.data.principal;
  return {
    subscribe: {
      cost: () => 1,
      path: 'workshopId',
      async handle(id, hasAck) {
        // The service authorises and computes in one call; join only once allowed, so a
        // forbidden socket never sees a broadcast of that workshop.
        const snapshot = await service.snapshot(id, principal, clock());
        // Gone meanwhile: joining now would leave a room entry that no disconnect ever removes.
        if (socket.disconnected) return undefined;
        await socket.join(roomOf(id));
        onSubscribed(id);
        // A client that asked for no ack still gets its first board at once.
        if (!hasAck) socket.emit('snapshot', snapshot);
        return { snapshot };
      },
    },
    unsubscribe: {
      cost: () => 0,
      path: 'workshopId',
      async handle(id) {
        // Leaving a room one is not in is a no-op: unsubscribe is idempotent.
        await socket.leave(roomOf(id));
        return {};
      },
    },
    'terminal:hello': {
      // Registering a terminal costs like any request (a socket once registered 50,000 made-up ids in 1.8 s).
      cost: () => 1,
      path: '',
      async handle(hello) {
        service.terminalSeen(hello.workshopId, principal, hello.terminalId, hello.bayId, clock());
        socket.data.terminal = { workshopId: hello.workshopId, terminalId: hello.terminalId };
        return {};
      },
    },
    'alert:ack': {
      cost: () => 1,
      path: '',
      async handle(msg) {
        service.acknowledgeAlert(msg.workshopId, principal, msg.metric, clock());
        return {};
      },
    },
    events: {
      // Its number of events, as over HTTP; refused whole: nothing applied, no terminal contact.
      cost: eventsCost,
      path: '',
      async handle(message) {
        const terminal = socket.data.terminal;
        const terminalId = terminal?.workshopId === message.workshopId ? terminal.terminalId : undefined;
        // Without an ack the events are still ingested: the sender will learn the outcome
        // from the board, and dropping them would lose accepted work silently.
        const results = await postEvents(service, { workshopId: message.workshopId, principal, body: { events: message.events }, terminalId }, clock);
        return { results };
      },
    },
  };
}
