import { parseWebhookTargets, validateWebhookTargets } from './parse-webhook-targets';
import { WebhookConfigError } from './webhook-config-error';

const SECRET = 'sixteen-chars-secret-value';

function failure(run: () => unknown): WebhookConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookConfigError) return error;
    throw error;
  }
  throw new Error('expected a WebhookConfigError');
}

describe('parseWebhookTargets', () => {
  it('parses a list of targets and keeps optional fields absent', () => {
    const targets = parseWebhookTargets(
      JSON.stringify([
        { name: 'ops', url: 'https://hooks.example.com/alerts?token=abc', secret: SECRET, severities: ['S2', 'S3'], timeoutMs: 5000 },
        { name: 'info.feed', url: 'http://127.0.0.1:9000/in', severities: ['S1'] },
      ]),
    );
    expect(targets).toEqual([
      { name: 'ops', url: 'https://hooks.example.com/alerts?token=abc', secret: SECRET, severities: ['S2', 'S3'], timeoutMs: 5000 },
      { name: 'info.feed', url: 'http://127.0.0.1:9000/in', severities: ['S1'] },
    ]);
  });

  it('treats blank text as no targets', () => {
    expect(parseWebhookTargets('')).toEqual([]);
    expect(parseWebhookTargets('  \n')).toEqual([]);
    expect(parseWebhookTargets('[]')).toEqual([]);
  });

  it('names the variable and the field of every problem', () => {
    const error = failure(() =>
      parseWebhookTargets(
        JSON.stringify([
          { name: 'bad:name', url: 'ftp://x.example', severities: [] },
          { name: 'ok', url: 'https://x.example', severities: ['S4'], timeoutMs: 5, extra: true },
        ]),
      ),
    );
    expect(error.code).toBe('ERR_WEBHOOK_CONFIG');
    const fields = error.issues.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['[0].name', '[0].url', '[0].severities', '[1].severities[0]', '[1].timeoutMs', '[1].extra']));
    expect(error.message).toContain('ALERT_WEBHOOKS[0].url: must be an absolute http:// or https:// URL');
    expect(error.message).toContain('ALERT_WEBHOOKS[1].extra: unknown field');
  });

  it('refuses duplicate names and repeated severities', () => {
    const error = failure(() =>
      parseWebhookTargets(
        JSON.stringify([
          { name: 'ops', url: 'https://a.example', severities: ['S1', 'S1'] },
          { name: 'ops', url: 'https://b.example', severities: ['S2'] },
        ]),
      ),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: '[0].severities', message: 'must not repeat a severity' },
        { field: '[1].name', message: 'duplicate target name "ops"' },
      ]),
    );
  });

  it('never echoes a secret, even from text that is not valid JSON', () => {
    const secret = 'super-secret-value-1234';
    const broken = failure(() => parseWebhookTargets(`[{"name":"ops","secret":"${secret}",}]`, { source: 'HOOKS' }));
    expect(broken.message).toBe('invalid webhook targets: HOOKS: is not valid JSON; expected a JSON array of targets');
    const short = failure(() => parseWebhookTargets(JSON.stringify([{ name: 'ops', url: 'https://a.example', secret: 'short', severities: ['S1'] }])));
    expect(short.message).toContain('ALERT_WEBHOOKS[0].secret: must be at least 16 characters');
    expect(short.message).not.toContain('short"');
    const typed = failure(() => parseWebhookTargets(JSON.stringify([{ name: 'ops', url: 'https://a.example', secret: 1234567890123456, severities: ['S1'] }])));
    expect(typed.message).not.toContain('1234567890123456');
  });

  it('refuses a JSON value that is not an array', () => {
    expect(failure(() => parseWebhookTargets('{"name":"ops"}')).issues).toEqual([{ field: '', message: 'expected a JSON array of targets' }]);
  });
});

describe('validateWebhookTargets', () => {
  it('validates decoded targets and prefixes the given source', () => {
    expect(failure(() => validateWebhookTargets([{ name: 'x' }], 'targets')).message).toContain('targets[0].url');
    expect(validateWebhookTargets([{ name: 'x', url: 'https://a.example', severities: ['S3'] }])).toHaveLength(1);
  });
});

describe('parseWebhookTargets: formats', () => {
  const TOKEN = '123456789:AAH-telegram-bot-token_secret';
  const telegramUrl = `https://api.telegram.org/bot${TOKEN}/sendMessage`;
  const slackUrl = 'https://hooks.slack.com/services/T000/B000/slack-url-secret';
  const parse = (targets: unknown[]) => parseWebhookTargets(JSON.stringify(targets));

  it('accepts every format with its fields, and keeps a format that is not given absent (generic)', () => {
    const targets = [
      { name: 'plain', url: 'https://hooks.example.com/a', severities: ['S1'] },
      { name: 'am', url: 'http://alert-relay.internal:9095/hook', format: 'alertmanager', secret: SECRET, severities: ['S3'] },
      { name: 'slack', url: slackUrl, format: 'slack', severities: ['S2', 'S3'] },
      { name: 'discord', url: 'https://discord.com/api/webhooks/1/discord-token', format: 'discord', severities: ['S3'] },
      { name: 'tg', url: telegramUrl, format: 'telegram', chatId: -1001234567890, severities: ['S3'] },
      { name: 'tg.md', url: telegramUrl, format: 'telegram', chatId: '@rebal_alerts', parseMode: 'MarkdownV2', severities: ['S3'] },
      { name: 'local', url: 'http://127.0.0.1:8080/relay', format: 'slack', severities: ['S1'] },
    ];
    expect(parse(targets)).toEqual(targets);
  });

  it('refuses an unknown format naming the variable and the field, without echoing the value', () => {
    const error = failure(() => parse([{ name: 'ops', url: 'https://a.example', format: 'teams<script>', severities: ['S1'] }]));
    expect(error.message).toBe('invalid webhook targets: ALERT_WEBHOOKS[0].format: must be one of generic, alertmanager, slack, discord, telegram');
  });

  it('refuses a telegram target without chatId, and never echoes its bot token', () => {
    const error = failure(() => parse([{ name: 'tg', url: telegramUrl, format: 'telegram', severities: ['S3'] }]));
    expect(error.message).toBe('invalid webhook targets: ALERT_WEBHOOKS[0].chatId: is required by the telegram format');
    const badChat = failure(() => parse([{ name: 'tg', url: telegramUrl, format: 'telegram', chatId: 'not a chat', severities: ['S3'] }]));
    expect(badChat.issues).toEqual([{ field: '[0].chatId', message: expect.stringContaining('must be a Telegram chat id') }]);
    expect(badChat.message).not.toContain('not a chat');
  });

  it('refuses a telegram URL that is not a Bot API sendMessage URL', () => {
    const error = failure(() => parse([{ name: 'tg', url: `https://api.telegram.org/bot${TOKEN}/getUpdates`, format: 'telegram', chatId: 1, severities: ['S3'] }]));
    expect(error.issues).toEqual([{ field: '[0].url', message: 'must be a Bot API sendMessage URL, https://api.telegram.org/bot<token>/sendMessage' }]);
    expect(error.message).not.toContain(TOKEN);
  });

  it('refuses a chat target on plain http to another host, and accepts it to a loopback address', () => {
    for (const format of ['slack', 'discord', 'telegram']) {
      const url = format === 'telegram' ? `http://api.telegram.org/bot${TOKEN}/sendMessage` : 'http://hooks.slack.com/services/T000/B000/slack-url-secret';
      const error = failure(() => parse([{ name: 'chat', url, format, severities: ['S1'], ...(format === 'telegram' ? { chatId: 1 } : {}) }]));
      expect(error.issues).toEqual([{ field: '[0].url', message: `must be an https:// URL for the ${format} format (http:// only to a loopback address)` }]);
      expect(error.message).not.toMatch(/slack-url-secret|AAH-telegram/);
    }
    for (const host of ['127.0.0.1:9000', 'localhost', '[::1]:9000']) {
      expect(parse([{ name: 'local', url: `http://${host}/bot1:abc/sendMessage`, format: 'telegram', chatId: 1, severities: ['S1'] }])).toHaveLength(1);
    }
    // Generic and alertmanager receivers may still be plain http (an in-cluster relay).
    expect(parse([{ name: 'am', url: 'http://relay.internal/hook', format: 'alertmanager', severities: ['S1'] }])).toHaveLength(1);
  });

  it('refuses a secret on a chat target, and telegram fields on other formats', () => {
    const error = failure(() =>
      parse([
        { name: 'slack', url: slackUrl, format: 'slack', secret: SECRET, severities: ['S1'] },
        { name: 'ops', url: 'https://a.example', chatId: 5, parseMode: 'HTML', severities: ['S1'] },
      ]),
    );
    expect(error.issues).toEqual([
      { field: '[0].secret', message: 'is not used by the slack format: Slack checks no signature on incoming webhooks; the URL is the credential' },
      { field: '[1].chatId', message: 'is only used by the telegram format' },
      { field: '[1].parseMode', message: 'is only used by the telegram format' },
    ]);
    expect(error.message).not.toContain(SECRET);
  });

  it('names every problem of every target at once', () => {
    const error = failure(() =>
      parse([
        { name: 'a', url: 'https://a.example', format: 'teams', severities: ['S1'] },
        { name: 'b', url: telegramUrl, format: 'telegram', severities: ['S9'] },
        { name: 'c', url: 'http://hooks.slack.com/x', format: 'slack', severities: ['S1'] },
      ]),
    );
    expect(error.issues.map((issue) => issue.field)).toEqual(['[0].format', '[1].severities[0]', '[1].chatId', '[2].url']);
  });
});
