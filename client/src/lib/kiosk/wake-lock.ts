/**
 * Keeps a board's or a terminal's screen on (Screen Wake Lock API): a TV that dims to its
 * screensaver, or a tablet that locks between two taps, is a board nobody reads. The browser
 * drops the lock whenever the page is hidden (another app, the screen switched off by hand), so
 * it is asked for again each time the page is visible. Refused or missing (plain http, older
 * browsers, a low battery): harmless, the device's own settings apply; the state is on
 * `<html data-pitwall-wake-lock>` for diagnostics.
 */
export type WakeLockState = 'held' | 'released' | 'refused' | 'unsupported';

export function keepScreenAwake(doc: Document, nav: Navigator): () => void {
  const show = (state: WakeLockState) => (doc.documentElement.dataset.pitwallWakeLock = state);
  if (!('wakeLock' in nav)) {
    show('unsupported');
    return () => {};
  }
  let sentinel: WakeLockSentinel | null = null;
  let stopped = false;
  const acquire = async () => {
    if (stopped || doc.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
    try {
      sentinel = await nav.wakeLock.request('screen');
      show('held');
      sentinel.addEventListener('release', () => show('released'));
      if (stopped) await sentinel.release();
    } catch (err) {
      show('refused');
      console.info('Pitwall: the screen may dim (wake lock refused)', err);
    }
  };
  const onVisibility = () => void acquire();
  doc.addEventListener('visibilitychange', onVisibility);
  void acquire();
  return () => {
    stopped = true;
    doc.removeEventListener('visibilitychange', onVisibility);
    void sentinel?.release().catch(() => undefined);
  };
}
