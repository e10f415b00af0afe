import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { EventResult } from '../../shared/events.js';
import { alertMessage, boardSnapshot } from '../../shared/snapshot.js';
import {
  alertAck,
  clientMessages,
  eventsMessage,
  subscribeMessage,
  terminalHello,
  type ApiError,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/socket.js';
import type { HubServer } from '../../server/realtime/io.js';
import type { HubSocket as ClientHubSocket } from '../../client/src/lib/hub-socket.js';

/**
 * The socket contract at the type level (checked by `tsc`, which `npm test` runs first; at run
 * time these assertions do nothing): the event maps both sides compile against carry exactly
 * the payloads the hub's schemas accept, every ack is the one envelope, and the hub and the
 * client use the same maps.
 */

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type AckReply<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
type Ok<E extends keyof ClientToServerEvents> = Extract<AckReply<E>, { ok: true }>;

describe('the socket event maps', () => {
  it('name exactly the messages the hub has a schema for', () => {
    expectTypeOf<keyof ClientToServerEvents>().toEqualTypeOf<keyof typeof clientMessages>();
  });

  it('carry each message as its schema infers it', () => {
    expectTypeOf<Payload<'subscribe'>>().toEqualTypeOf<z.infer<typeof subscribeMessage>>();
    expectTypeOf<Payload<'unsubscribe'>>().toEqualTypeOf<z.infer<typeof subscribeMessage>>();
    expectTypeOf<Payload<'events'>>().toEqualTypeOf<z.infer<typeof eventsMessage>>();
    expectTypeOf<Payload<'terminal:hello'>>().toEqualTypeOf<z.infer<typeof terminalHello>>();
    expectTypeOf<Payload<'alert:ack'>>().toEqualTypeOf<z.infer<typeof alertAck>>();
    // The hub takes a hello without a bay (unchanged) or with null (a roaming device).
    expectTypeOf<{ workshopId: string; terminalId: string }>().toExtend<Payload<'terminal:hello'>>();
    expectTypeOf<{ workshopId: string; terminalId: string; bayId: null }>().toExtend<Payload<'terminal:hello'>>();
  });

  it('answer every message with { ok: true, … } or { ok: false, error }', () => {
    expectTypeOf<Extract<AckReply<keyof ClientToServerEvents>, { ok: false }>>().toEqualTypeOf<{ ok: false; error: ApiError }>();
    expectTypeOf<AckReply<keyof ClientToServerEvents>>().toExtend<{ ok: true } | { ok: false; error: ApiError }>();
    expectTypeOf<Ok<'subscribe'>['snapshot']>().toEqualTypeOf<z.infer<typeof boardSnapshot>>();
    // The events ack keeps `results` at the top, where terminals built before the envelope read it.
    expectTypeOf<Ok<'events'>['results']>().toEqualTypeOf<EventResult[]>();
  });

  it('push the snapshot and the alert as their schemas infer them', () => {
    expectTypeOf<keyof ServerToClientEvents>().toEqualTypeOf<'snapshot' | 'alert'>();
    expectTypeOf<Parameters<ServerToClientEvents['snapshot']>[0]>().toEqualTypeOf<z.infer<typeof boardSnapshot>>();
    expectTypeOf<Parameters<ServerToClientEvents['alert']>[0]>().toEqualTypeOf<z.infer<typeof alertMessage>>();
  });

  it('are the maps the hub serves and the client connects with', () => {
    expectTypeOf<Parameters<HubServer['emit']>[0]>().toEqualTypeOf<keyof ServerToClientEvents>();
    expectTypeOf<Parameters<ClientHubSocket['emit']>[0]>().toEqualTypeOf<keyof ClientToServerEvents>();
  });
});
