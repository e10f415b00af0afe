/**
 * The board's alert sound: a short three-tone beep made with Web Audio (no audio file to
 * load). Browsers may refuse sound until someone touches the page (a kiosk can allow it with
 * Chromium's --autoplay-policy=no-user-gesture-required); `allowed()` and `beep()` say so, so
 * the board can show "tap the screen once" instead of failing silently.
 */
export interface Beeper {
  /** Whether the browser lets this page make sound right now. */
  allowed(): boolean;
  /** Tries to start sound (works from a user gesture); resolves whether it is allowed. */
  unlock(): Promise<boolean>;
  /** Resolves whether it played. */
  beep(): Promise<boolean>;
  close(): void;
}

type AudioContextClass = typeof AudioContext;

/** resume() stays pending forever without a gesture in some browsers: never wait on it long. */
const RESUME_WAIT_MS = 500;

export function createBeeper(win: { AudioContext?: AudioContextClass } = window as { AudioContext?: AudioContextClass }): Beeper | null {
  const Ctx = win.AudioContext;
  if (!Ctx) return null;
  let ctx: AudioContext | null = new Ctx();

  async function unlock(): Promise<boolean> {
    const c = ctx;
    if (!c) return false;
    if (c.state === 'suspended') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([c.resume().catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, RESUME_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return c.state === 'running';
  }

  function tone(c: AudioContext, freq: number, start: number, length: number) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    osc.connect(gain).connect(c.destination);
    osc.start(start);
    osc.stop(start + length + 0.05);
  }

  return {
    allowed: () => ctx?.state === 'running',
    unlock,
    async beep() {
      if (!(await unlock()) || !ctx) return false;
      const t0 = ctx.currentTime + 0.02;
      tone(ctx, 880, t0, 0.22);
      tone(ctx, 660, t0 + 0.3, 0.22);
      tone(ctx, 880, t0 + 0.6, 0.3);
      return true;
    },
    close() {
      void ctx?.close();
      ctx = null;
    },
  };
}
