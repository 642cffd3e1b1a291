import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is looked for when `CHROMIUM_BIN` is unset (Debian's package). */
export const DEFAULT_CHROMIUM_BIN = '/usr/bin/chromium';

/**
 * Command-line flags for a headless Chromium on a closed, shared machine: no sandbox (CI
 * containers run as root), no GPU, and no background network traffic (QUIC, updates, sync,
 * first-run pages) that would stall or log errors without a network.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary: `CHROMIUM_BIN`, else {@link DEFAULT_CHROMIUM_BIN}. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['CHROMIUM_BIN'] || DEFAULT_CHROMIUM_BIN;
}

/** Options of {@link launchChromium}. */
export interface LaunchChromiumOptions {
  /** The binary (default {@link chromiumPath}: `CHROMIUM_BIN` or `/usr/bin/chromium`). */
  executablePath?: string;
  /** How long the launch may take, ms (default 60 000). */
  timeoutMs?: number;
}

/**
 * Launches the system Chromium with playwright-core (which downloads no browser), headless,
 * with {@link CHROMIUM_ARGS} and a fresh temporary profile. Rejects with a message saying how
 * to get one when the binary is missing.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? chromiumPath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${executablePath} for the dashboard's browser test. Install one with ` +
        '`sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_BIN to a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: options.timeoutMs ?? 60_000 });
}
