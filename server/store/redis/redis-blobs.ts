import type { Redis } from 'ioredis';
import { checkBlobName, type BlobStore } from '../blob-store.js';

/**
 * Blobs of the Redis store: one string key per blob, `<prefix>:{<workshop>}:blob:<name>`, in
 * the workshop's hash slot like its log. A SET replaces the value whole.
 */
export class RedisBlobs implements BlobStore {
  constructor(
    private readonly client: Pick<Redis, 'set' | 'getBuffer' | 'del'>,
    private readonly prefix: string,
  ) {}

  async save(workshopId: string, name: string, data: Buffer): Promise<void> {
    await this.client.set(this.keyOf(workshopId, name), data);
  }

  async load(workshopId: string, name: string): Promise<Buffer | null> {
    return this.client.getBuffer(this.keyOf(workshopId, name));
  }

  async createOnce(workshopId: string, name: string, data: Buffer): Promise<Buffer> {
    // SET NX: of two hubs creating at once, one wins and both read its value back.
    await this.client.set(this.keyOf(workshopId, name), data, 'NX');
    const stored = await this.client.getBuffer(this.keyOf(workshopId, name));
    if (stored === null) throw new Error(`blob ${name} of ${workshopId} vanished as it was created`);
    return stored;
  }

  async remove(workshopId: string, name: string): Promise<void> {
    await this.client.del(this.keyOf(workshopId, name));
  }

  private keyOf(workshopId: string, name: string): string {
    return `${this.prefix}:{${workshopId}}:blob:${checkBlobName(name)}`;
  }
}
