/**
 * Asks the browser to keep this origin's storage, the terminal's outbox above all, when the
 * device runs short of space (by default a browser may evict "best-effort" storage, taps
 * waiting to be sent included). Asked once per page load; the answer is logged and shown on
 * `<html data-pitwall-storage>` and in the terminal's footer (KioskStatus.vue).
 */
export type StorageState = 'persisted' | 'best-effort' | 'unsupported';

let asked: Promise<StorageState> | undefined;

export function persistStorage(doc: Document, nav: Navigator): Promise<StorageState> {
  return (asked ??= (async (): Promise<StorageState> => {
    let state: StorageState = 'unsupported';
    try {
      if (nav.storage?.persist) state = (await nav.storage.persisted()) || (await nav.storage.persist()) ? 'persisted' : 'best-effort';
    } catch (err) {
      console.warn('Pitwall: persistent storage request failed', err);
      state = 'best-effort';
    }
    doc.documentElement.dataset.pitwallStorage = state;
    console.info(`Pitwall: storage for the outbox is ${state}`);
    return state;
  })());
}
