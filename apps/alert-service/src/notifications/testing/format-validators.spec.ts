import { FORMAT_VALIDATORS } from './format-validators';

// The receivers' checks must be able to fail, or the format tests would prove nothing.
describe('FORMAT_VALIDATORS', () => {
  it('refuse an Alertmanager body without version 4, with a bad label name or a non-RFC 3339 time', () => {
    const alert = { status: 'firing', labels: { 'bad-name': 'x' }, annotations: {}, startsAt: '1 March', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'f' };
    const body = { version: '3', groupKey: 'k', truncatedAlerts: 0, status: 'firing', receiver: 'r', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts: [alert] };
    expect(FORMAT_VALIDATORS.alertmanager(body).join('\n')).toMatch(/version[\s\S]*labels property name must be valid[\s\S]*startsAt must match format/);
  });

  it('refuse a Slack message with a raw "<" or a header over 150 characters', () => {
    expect(FORMAT_VALIDATORS.slack({ text: '<!channel>' })).toEqual([expect.stringContaining('unescaped')]);
    expect(FORMAT_VALIDATORS.slack({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).not.toEqual([]);
    expect(FORMAT_VALIDATORS.slack({ text: 'a &amp; b' })).toEqual([]);
  });

  it('refuse a Discord message over its limits', () => {
    expect(FORMAT_VALIDATORS.discord({ content: 'x'.repeat(2001) })).not.toEqual([]);
    const fields = Array.from({ length: 6 }, () => ({ name: 'n', value: 'v'.repeat(1024) }));
    expect(FORMAT_VALIDATORS.discord({ embeds: [{ title: 't', fields }] })).toEqual(['embeds hold 6151 characters, over 6000']);
  });

  it('refuse Telegram text that the Bot API would not parse', () => {
    const send = (text: string, parse_mode: string) => FORMAT_VALIDATORS.telegram({ chat_id: 1, text, parse_mode });
    expect(send('<b>a</b> &amp; b', 'HTML')).toEqual([]);
    expect(send('<b>a & b</b>', 'HTML')).toEqual(['raw "&" outside a tag or entity']);
    expect(send('<script>x</script>', 'HTML')).toContain('unsupported tag <script>');
    expect(send('<b>a', 'HTML')).toEqual(['unclosed <b>']);
    expect(send('*a\\.b* c\\!', 'MarkdownV2')).toEqual([]);
    expect(send('a.b', 'MarkdownV2')).toEqual(['unescaped "." at 1']);
    expect(send('*a', 'MarkdownV2')).toEqual(['unclosed *']);
    expect(send('x'.repeat(4097), 'HTML')).toEqual(['text is 4097 characters after entities parsing, not 1-4096']);
    expect(send(`${'&amp;'.repeat(4096)}`, 'HTML')).toEqual([]);
  });

  it('refuse a generic body with fields other than type, alert, actor and at', () => {
    expect(FORMAT_VALIDATORS.generic({ type: 'alert.raised', actor: 'x', at: 1, alert: {}, extra: 1 })).not.toEqual([]);
  });
});
