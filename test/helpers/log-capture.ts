import { Writable } from 'node:stream';
import { pino, type Level, type Logger } from 'pino';

/** A pino logger whose JSON lines a test can read back (what the hub warned about, and when). */
export function capturingLogger(level: Level = 'warn'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
