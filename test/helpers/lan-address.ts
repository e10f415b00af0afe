import { networkInterfaces } from 'node:os';

/**
 * This machine's own non-loopback IPv4 address: what a tablet on the shop's network reaches the
 * hub at. Tests that must not run on 127.0.0.1 (metrics access, HTTPS on the LAN) connect to it.
 * No such address is a broken test machine, said, not a test skipped.
 */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this machine has no non-loopback IPv4 address: the tests that reach the hub as a device on the network would do cannot run');
}
