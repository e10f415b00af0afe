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

/**
 * The executable, or an error that says which Debian package holds it. Tests never install
 * anything themselves: `bash .ci/run` installs what the suite needs (as root, on a clean box).
 */
export function requireBinary(command: string, aptPackages: string, neededBy: string, extraDirs: readonly string[] = []): string {
  const found = findBinary(command, extraDirs);
  if (found) return found;
  throw new Error(missingBinaryMessage(command, aptPackages, neededBy));
}

export function missingBinaryMessage(command: string, aptPackages: string, neededBy: string): string {
  return `${command} is not installed; ${neededBy} need it. Install it with \`sudo apt-get install ${aptPackages}\` (Debian/Ubuntu; \`bash .ci/run\` installs everything the tests need).`;
}
