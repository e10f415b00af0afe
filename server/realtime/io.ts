import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import type { Principal } from '../workshops/principal.js';

/** What the hub keeps on each socket: who it is, set once by the auth middleware. */
export interface SocketData {
  principal: Principal;
  /** Set by `terminal:hello`: the socket's messages count as that terminal's contact. */
  terminal?: { workshopId: string; terminalId: string };
}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The room of a workshop's subscribers; prefixed so it can never collide with a socket id room. */
export function roomOf(workshopId: string): string {
  return `ws:${workshopId}`;
}
