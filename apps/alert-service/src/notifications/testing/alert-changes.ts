import { randomUUID } from 'node:crypto';
import type { AlertChange, AlertRecord } from '../../alerts';

/** 2026-03-01T12:00:00.000Z: a fixed clock for the format tests. */
export const CHANGE_TIME = Date.UTC(2026, 2, 1, 12, 0, 0);

/** An `alert.raised` change of a BTC price alert (S2), with any field overridden. */
export function sampleChange(overrides: { type?: AlertChange['type']; actor?: string; at?: number; alert?: Partial<AlertRecord> } = {}): AlertChange {
  const at = overrides.at ?? CHANGE_TIME;
  return {
    type: overrides.type ?? 'alert.raised',
    actor: overrides.actor ?? 'rule:btc-above-100k',
    at,
    alert: {
      id: randomUUID(),
      ruleId: 'btc-above-100k',
      type: 'price_threshold',
      severity: 'S2',
      labels: { rule: 'btc-above-100k', kind: 'price_threshold', symbol: 'BTC' },
      fingerprint: '0123456789abcdef',
      annotations: { summary: 'BTC above 100000', description: 'BTC traded at 100500, above the S2 level 100000.' },
      value: 100_500,
      startsAt: at,
      updatedAt: at,
      status: 'firing',
      version: 1,
      ...overrides.alert,
    },
  };
}

/** The same alert resolved by its rule a minute later. */
export function resolvedChange(raised: AlertChange): AlertChange {
  const at = raised.at + 60_000;
  return {
    type: 'alert.resolved',
    actor: `rule:${raised.alert.ruleId}`,
    at,
    alert: { ...raised.alert, status: 'resolved', endsAt: at, updatedAt: at, version: raised.alert.version + 1 },
  };
}

/**
 * Markup of every format in labels and annotations: Slack control sequences (`<!channel>`,
 * `<url|text>`), Discord mentions and masked links, Telegram HTML tags and entities,
 * MarkdownV2 reserved characters, a backslash.
 */
export const HOSTILE_TEXT = '<!channel> <@U123|bob> & <b>x</b> &amp; @everyone [claim](https://evil.example) *b* _i_ ~s~ `c` ||sp|| > # - + = { } . ! \\ (p)';

/** A change whose labels and annotations carry {@link HOSTILE_TEXT}. */
export function hostileChange(overrides: { alert?: Partial<AlertRecord> } = {}): AlertChange {
  return sampleChange({
    alert: {
      labels: { rule: 'btc-above-100k', symbol: 'BTC', note: HOSTILE_TEXT },
      annotations: { summary: `BTC ${HOSTILE_TEXT}`, description: `why: ${HOSTILE_TEXT}` },
      ...overrides.alert,
    },
  });
}

/**
 * A change far past every service's limits: a 4000-character description of characters that
 * each escape to several, a summary of 500, 60 labels of 256 characters, a suggested action
 * whose reason has 500 and an escalation.
 */
export function oversizedChange(): AlertChange {
  const labels: Record<string, string> = { rule: 'btc-above-100k', symbol: 'BTC' };
  for (let i = 0; i < 60; i += 1) labels[`l${i}`] = `${i}`.padEnd(256, '<&>');
  return sampleChange({
    alert: {
      severity: 'S3',
      labels,
      annotations: { summary: '&<>'.repeat(167).slice(0, 500), description: '<&>._*'.repeat(700).slice(0, 4000) },
      suggestedAction: { type: 'apply_policy', mode: 'Freeze', reason: '<_>'.repeat(167).slice(0, 500) },
      escalation: { sourceAlertIds: ['a-1', 'a-2'], kind: 'price_threshold', windowMs: 60_000 },
    },
  });
}
