import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Root of the workspace: the service runs from there so tsx finds tsconfig.base.json. */
const ROOT = join(__dirname, '../../../..');
const SLACK_URL_TOKEN = 'slack-url-token-xyz';
const BOT_TOKEN = '123456789:AAH-start-test-bot-token';

/** Runs the alert service's main.ts with `env` and resolves with how it ended and what it wrote to stderr. */
function runService(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'apps/alert-service/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.base.json', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('ALERT_WEBHOOKS at start', () => {
  it('refuses an unknown format, a telegram target without chatId and a slack target on plain http, naming the variable and never a URL', async () => {
    const webhooks = [
      { name: 'teams', url: 'https://example.webhook.office.com/webhookb2/secret-path', format: 'teams', severities: ['S3'] },
      { name: 'tg', url: `https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`, format: 'telegram', severities: ['S3'] },
      { name: 'slack', url: `http://hooks.slack.com/services/T000/B000/${SLACK_URL_TOKEN}`, format: 'slack', severities: ['S2'] },
    ];

    const { code, stderr, stdout } = await runService({ AUTH_JWT_SECRET: 'a-32-byte-secret-for-the-start-test', ALERT_WEBHOOKS: JSON.stringify(webhooks) });

    expect(code).not.toBe(0);
    expect(stderr).toContain('invalid configuration: ALERT_WEBHOOKS');
    expect(stderr).toContain('ALERT_WEBHOOKS[0].format: must be one of generic, alertmanager, slack, discord, telegram');
    expect(stderr).toContain('ALERT_WEBHOOKS[1].chatId: is required by the telegram format');
    expect(stderr).toContain('ALERT_WEBHOOKS[2].url: must be an https:// URL for the slack format (http:// only to a loopback address)');
    for (const output of [stderr, stdout]) {
      expect(output).not.toMatch(/secret-path|AAH-start-test|slack-url-token|teams"/);
    }
  }, 60_000);
});
