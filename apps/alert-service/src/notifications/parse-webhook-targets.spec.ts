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
