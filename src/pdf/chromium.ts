/**
 * Finding and starting the machine's own Chromium (or Chrome / Edge) for printing reports, with
 * playwright-core as the driver. Never `npx playwright install`: it downloads a browser, which
 * fails offline and is not wanted on a school's machine. The browser tests use the same logic
 * (test/helpers/browser.ts).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';

function candidates(): string[] {
  const windows =
    process.platform === 'win32'
      ? [
          path.join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
          path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google', 'Chrome', 'Application', 'chrome.exe'),
          path.join(process.env['LOCALAPPDATA'] ?? path.join(os.homedir(), 'AppData', 'Local'), 'Google', 'Chrome', 'Application', 'chrome.exe'),
          path.join(process.env['LOCALAPPDATA'] ?? path.join(os.homedir(), 'AppData', 'Local'), 'Chromium', 'Application', 'chrome.exe'),
          path.join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
          path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
        ]
      : [];
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ...windows,
  ];
}

/** The places looked in, after $CHROMIUM_PATH. */
export const CHROMIUM_CANDIDATES: readonly string[] = Object.freeze(candidates());

/** How to get a browser, for error messages. */
export const CHROMIUM_INSTALL_HINT =
  'sudo apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome executable';

/** Path of a Chromium/Chrome executable: $CHROMIUM_PATH first (only that one, when set), then the usual places. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** One line saying why there is no browser and how to get one. */
export function chromiumMissingMessage(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env['CHROMIUM_PATH'];
  return `${wanted ? `CHROMIUM_PATH=${wanted} does not exist` : 'no Chromium or Chrome found'}: install it with ${CHROMIUM_INSTALL_HINT}`;
}

/** Headless, no GPU, no sandbox (containers), and nothing that phones home. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]);

/**
 * Launches headless Chromium at `executablePath`. playwright-core gives every launch a fresh
 * temporary profile and deletes it on close. Loaded lazily: commands that never print do not pay
 * for playwright-core.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}
