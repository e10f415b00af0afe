/**
 * Draws the web app manifest's icons (client/web-app-manifest.ts) from client/public/favicon.svg
 * with headless Chromium: 192 and 512 px, "any" (the favicon as it is) and "maskable" (the
 * lights inside the central 80 % circle every launcher's mask keeps, on a full-bleed background).
 * Run by hand when the favicon changes: `node client/scripts/make-icons.mjs`; the PNGs are
 * committed, so a build needs no browser.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../public');
const svg = await readFile(path.join(publicDir, 'favicon.svg'), 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

/** The page that is photographed: the favicon, whole ("any") or at 64 % on its own colour ("maskable"). */
const page = (size, maskable) => `<!doctype html><html><body style="margin:0;background:${maskable ? '#0f1722' : 'transparent'}">
<div style="width:${size}px;height:${size}px;display:flex;align-items:center;justify-content:center">
<img src="${dataUrl}" style="width:${maskable ? 64 : 100}%;height:${maskable ? 64 : 100}%"></div></body></html>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (const size of [192, 512]) {
    for (const maskable of [false, true]) {
      const tab = await browser.newPage({ viewport: { width: size, height: size } });
      await tab.setContent(page(size, maskable));
      const file = path.join(publicDir, 'icons', `${maskable ? 'maskable' : 'icon'}-${size}.png`);
      await tab.screenshot({ path: file, omitBackground: !maskable });
      await tab.close();
      console.log(file);
    }
  }
} finally {
  await browser.close();
}
