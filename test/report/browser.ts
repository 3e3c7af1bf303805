import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no downloaded browser builds). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Browser tests run whenever Chromium is installed, and always in CI (where a missing browser must
 * fail the run, not quietly skip it).
 */
export const skipBrowserTests = !existsSync(CHROMIUM_PATH) && !process.env.CI;
if (skipBrowserTests) {
  console.warn(`browser tests skipped: ${CHROMIUM_PATH} not found (install it with: apt-get install -y chromium)`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
