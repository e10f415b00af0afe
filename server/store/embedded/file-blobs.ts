import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { checkBlobName, type BlobStore } from '../blob-store.js';

/**
 * Blobs of the embedded store: `<dataDir>/state/<workshop>/<name>`, written to a temporary
 * file, synced and renamed over the old one, so a crash leaves the old blob or the new one,
 * never half of either.
 */
export class FileBlobs implements BlobStore {
  constructor(private readonly dir: string) {}

  async save(workshopId: string, name: string, data: Buffer): Promise<void> {
    const file = this.fileOf(workshopId, name);
    await rename(await this.written(file, '.tmp', data), file);
  }

  /** Written whole beside the blob, then hard-linked to its name: a link never replaces a file, so the first one stays. */
  async createOnce(workshopId: string, name: string, data: Buffer): Promise<Buffer> {
    const file = this.fileOf(workshopId, name);
    // A name of its own: two creations at once must not write into each other's file.
    const temporary = await this.written(file, `.${randomBytes(8).toString('hex')}.new`, data);
    try {
      await link(temporary, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await rm(temporary, { force: true });
    }
    return readFile(file);
  }

  /** `data` in `<file><suffix>`, synced. */
  private async written(file: string, suffix: string, data: Buffer): Promise<string> {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}${suffix}`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return temporary;
  }

  async load(workshopId: string, name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.fileOf(workshopId, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(workshopId: string, name: string): Promise<void> {
    await rm(this.fileOf(workshopId, name), { force: true });
  }

  private fileOf(workshopId: string, name: string): string {
    return path.join(this.dir, encodeURIComponent(workshopId), checkBlobName(name));
  }
}
