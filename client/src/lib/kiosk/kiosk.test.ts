// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offlineReloadUnavailable } from './insecure-lan.js';
import { QUIET_MS, quietReload } from './quiet-reload.js';

describe('offlineReloadUnavailable', () => {
  it.each([
    ['http:', '192.168.1.20', false, true],
    ['http:', 'pitwall.local', false, true],
    ['http:', '[fd00::20]', false, true],
    ['https:', '192.168.1.20', true, false],
    ['http:', 'localhost', true, false],
    ['http:', '127.0.0.1', true, false],
    ['http:', '[::1]', true, false],
    // A browser that reports no secure context at localhost (old TV browsers) still gets its worker there.
    ['http:', 'localhost', false, false],
  ])('%s//%s (secure context: %s) → warn: %s', (protocol, hostname, secure, warn) => {
    expect(offlineReloadUnavailable({ protocol, hostname }, secure)).toBe(warn);
  });
});

describe('quietReload', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = '';
    delete document.documentElement.dataset.pitwallUpdate;
  });
  afterEach(() => vi.useRealTimers());

  it('waits for QUIET_MS without input, each input starting the wait again, and not while a dialog is open', () => {
    const reload = vi.fn();
    const q = quietReload(window, reload);
    // Input before a build is waiting arms nothing.
    window.dispatchEvent(new Event('pointerdown'));
    vi.advanceTimersByTime(QUIET_MS * 3);
    expect(reload).not.toHaveBeenCalled();

    q.request();
    expect(document.documentElement.dataset.pitwallUpdate).toBe('pending');
    vi.advanceTimersByTime(QUIET_MS - 1000);
    window.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(QUIET_MS - 1000);
    expect(reload).not.toHaveBeenCalled();

    document.body.innerHTML = '<div role="dialog">Which bay?</div>';
    vi.advanceTimersByTime(QUIET_MS * 2);
    expect(reload).not.toHaveBeenCalled();

    document.body.innerHTML = '';
    vi.advanceTimersByTime(QUIET_MS);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(document.documentElement.dataset.pitwallUpdate).toBe('reloading');
    q.stop();
  });
});
