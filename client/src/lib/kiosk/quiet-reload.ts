/**
 * Reloads the page to a new build at a quiet moment, never mid-tap: only once nobody has touched
 * the screen or a key for QUIET_MS and no dialog is open (a bay picker, a confirmation). A
 * terminal loses nothing by reloading (its outbox is in storage), but a technician half-way
 * through picking a bay must not see the screen change under the finger.
 */

/** No pointer, touch or key input for this long counts as nobody using the screen. */
export const QUIET_MS = 30_000;

/** What counts as someone using the screen. */
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel'] as const;

/** A dialog is open: a picker overlay, a confirmation, a native <dialog>. */
export function dialogOpen(doc: Document): boolean {
  return doc.querySelector('dialog[open], [role="dialog"], [role="alertdialog"], [aria-modal="true"]') !== null;
}

export interface QuietReload {
  /** A new build is ready: reload at the next quiet moment. */
  request(): void;
  stop(): void;
}

export function quietReload(win: Window, reload: () => void = () => win.location.reload()): QuietReload {
  let wanted = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const doc = win.document;

  // (Re)starts the quiet period: every input pushes the reload QUIET_MS further away.
  const arm = () => {
    if (!wanted) return;
    clearTimeout(timer);
    timer = setTimeout(fire, QUIET_MS);
  };
  const fire = () => {
    // A dialog still open after a quiet period: someone walked away from it, or is reading it;
    // either way, not now: try again after another quiet period.
    if (dialogOpen(doc)) return arm();
    doc.documentElement.dataset.pitwallUpdate = 'reloading';
    reload();
  };
  for (const type of INPUT_EVENTS) win.addEventListener(type, arm, { capture: true, passive: true });

  return {
    request() {
      if (wanted) return;
      wanted = true;
      // Visible for diagnostics and tests: a new build waits for a quiet moment.
      doc.documentElement.dataset.pitwallUpdate = 'pending';
      arm();
    },
    stop() {
      clearTimeout(timer);
      for (const type of INPUT_EVENTS) win.removeEventListener(type, arm, { capture: true });
    },
  };
}
