import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import { missingBinaryMessage } from './find-binary.js';

/**
 * Debian's Chromium driven by playwright-core (browser downloads do not work on the build
 * machines), installed by `.ci/run` with the CJK font (without it the zh-CN board renders as empty
 * boxes); a test never installs it.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(missingBinaryMessage(CHROMIUM, 'chromium fonts-noto-cjk', 'the browser tests'));
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
