import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Where an executable is: the first directory of PATH (then of `extraDirs`) that holds it, or
 * null. Debian keeps daemons such as nginx in /usr/sbin, which a non-root PATH leaves out.
 */
export function findBinary(command: string, extraDirs: readonly string[] = []): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs]) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
