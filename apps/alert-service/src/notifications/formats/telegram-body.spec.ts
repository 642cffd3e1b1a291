import { FORMAT_VALIDATORS } from '../testing/format-validators';
import { HOSTILE_TEXT, hostileChange, oversizedChange, resolvedChange, sampleChange } from '../testing/alert-changes';
import { webhookPayload } from '../webhook-payload';
import { ELLIPSIS } from './fit-text';
import { escapeTelegramHtml, escapeTelegramMarkdownV2, TELEGRAM_TEXT_LIMIT, telegramBody } from './telegram-body';

describe('escapeTelegramHtml', () => {
  it('writes <, > and & as entities', () => {
    expect(escapeTelegramHtml('<b>x</b> & &amp; "q"')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; &amp;amp; "q"');
  });
});

describe('escapeTelegramMarkdownV2', () => {
  it('puts a backslash before each reserved character and before a backslash', () => {
    expect(escapeTelegramMarkdownV2('_*[]()~`>#+-=|{}.!\\ a1')).toBe('\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ a1');
  });
});

describe('telegramBody', () => {
  it('is a sendMessage call in HTML by default, without link previews', () => {
    const change = sampleChange();
    const body = telegramBody(webhookPayload(change), -1001234567890);

    expect(FORMAT_VALIDATORS.telegram(body)).toEqual([]);
    expect(body).toMatchObject({ chat_id: -1001234567890, parse_mode: 'HTML', disable_web_page_preview: true, link_preview_options: { is_disabled: true } });
    expect(body.text.split('\n')).toEqual([
      '<b>🟠 [S2 major] Firing: BTC above 100000</b>',
      '<i>BTC traded at 100500, above the S2 level 100000.</i>',
      '',
      '<b>Severity:</b> S2 major',
      '<b>Status:</b> firing',
      '<b>Value:</b> 100500',
      '<b>Rule:</b> btc-above-100k (price_threshold)',
      '<b>Started:</b> 2026-03-01T12:00:00.000Z',
      '<b>Changed by:</b> rule:btc-above-100k',
      '<b>Labels:</b> kind=price_threshold',
      'rule=btc-above-100k',
      'symbol=BTC',
      '',
      `alert ${change.alert.id} · version 1 · 2026-03-01T12:00:00.000Z`,
    ]);
  });

  it('writes MarkdownV2 with every reserved character escaped', () => {
    const body = telegramBody(webhookPayload(resolvedChange(sampleChange())), '@rebal_alerts', 'MarkdownV2');

    expect(FORMAT_VALIDATORS.telegram(body)).toEqual([]);
    expect(body.parse_mode).toBe('MarkdownV2');
    expect(body.chat_id).toBe('@rebal_alerts');
    expect(body.text.split('\n').slice(0, 2)).toEqual(['*✅ \\[S2 major\\] Resolved: BTC above 100000*', '_BTC traded at 100500, above the S2 level 100000\\._']);
    expect(body.text).toContain('*Ended:* 2026\\-03\\-01T12:01:00\\.000Z');
  });

  it('escapes the markup of labels and annotations in both parse modes', () => {
    const payload = webhookPayload(hostileChange());
    const html = telegramBody(payload, 1, 'HTML');
    const markdown = telegramBody(payload, 1, 'MarkdownV2');

    expect(FORMAT_VALIDATORS.telegram(html)).toEqual([]);
    expect(FORMAT_VALIDATORS.telegram(markdown)).toEqual([]);
    expect(html.text).toContain(escapeTelegramHtml(HOSTILE_TEXT));
    expect(markdown.text).toContain(escapeTelegramMarkdownV2(HOSTILE_TEXT));
  });

  it.each(['HTML', 'MarkdownV2'] as const)('stays within 4096 characters in %s, the description cut first with an ellipsis', (mode) => {
    const body = telegramBody(webhookPayload(oversizedChange()), 1, mode);

    expect(FORMAT_VALIDATORS.telegram(body)).toEqual([]);
    expect(body.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    const lines = body.text.split('\n');
    const close = mode === 'HTML' ? '</i>' : '_';
    expect(lines[1]?.endsWith(`${ELLIPSIS}${close}`)).toBe(true);
    // The footer still made it: the description gave way, not the fields.
    expect(lines.at(-1)).toMatch(/^alert /);
  });
});
