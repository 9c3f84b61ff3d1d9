import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core. A missing browser fails the test run: CI
 * installs it (.ci/run), and a skipped browser test would prove nothing.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
