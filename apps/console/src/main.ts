// The console's browser entry point, bundled by build/build-console.ts into main.js.
import { CONSOLE_CHANNELS, ConsoleApp, type ConsoleElements } from './console-app';
import { readConsoleConfig, SERVED_CONFIG_PATH, type ServedConsoleConfig } from './config/console-config';
import { byId } from './ui/dom';

/** The settings the gateway serves for this deployment; none when it answers with anything else (the defaults apply). */
async function servedConfig(): Promise<ServedConsoleConfig> {
  try {
    const response = await fetch(SERVED_CONFIG_PATH, { cache: 'no-store' });
    return response.ok ? ((await response.json()) as ServedConsoleConfig) : {};
  } catch {
    return {};
  }
}

function elements(): ConsoleElements {
  return {
    banner: byId('connection-banner'),
    bannerText: byId('connection-text'),
    prices: byId('price-cards'),
    pricesEmpty: byId('prices-empty'),
    alerts: { list: byId('alert-list'), empty: byId('alerts-empty'), error: byId('alerts-error'), filters: byId('alert-filters') },
    history: { dialog: byId('history-dialog'), title: byId('history-title'), status: byId('history-status'), list: byId('history-list') },
    rules: {
      table: byId('rule-rows'),
      empty: byId('rules-empty'),
      error: byId('rules-error'),
      status: byId('rules-status'),
      create: byId('rule-new'),
      dialog: byId('rule-dialog'),
      dialogTitle: byId('rule-dialog-title'),
      form: byId('rule-form'),
      fields: byId('rule-fields'),
      formError: byId('rule-form-error'),
    },
    silences: {
      list: byId('silence-list'),
      empty: byId('silences-empty'),
      error: byId('silences-error'),
      status: byId('silences-status'),
      create: byId('silence-new'),
      dialog: byId('silence-dialog'),
      form: byId('silence-form'),
      fields: byId('silence-fields'),
      formError: byId('silence-form-error'),
    },
    health: { overall: byId('health-overall'), note: byId('health-note'), services: byId('health-services'), streams: byId('health-streams'), thresholds: byId('health-thresholds') },
    healthRefresh: byId('health-refresh'),
  };
}

async function main(): Promise<void> {
  const config = readConsoleConfig(window.location, await servedConfig());
  if (config.token === undefined) {
    const banner = byId('connection-banner');
    banner.dataset['state'] = 'closed';
    byId('connection-text').textContent = 'No token: open the console URL printed by `npm start` (it ends in ?token=...).';
    return;
  }
  document.body.dataset['channels'] = CONSOLE_CHANNELS.join(' ');
  new ConsoleApp({ ...config, token: config.token }, elements()).start();
}

void main();
