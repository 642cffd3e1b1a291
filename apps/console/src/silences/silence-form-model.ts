import type { SilenceInput, SilenceMatcher } from '../api/alert-api';

/** Silence lengths offered, in minutes. */
export const SILENCE_DURATIONS: readonly number[] = [30, 60, 120, 240, 720, 1_440, 10_080];

/** A length as people say it: `30 min`, `2 h`, `1 day`, `7 days`. */
export function durationLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1_440) return `${minutes / 60} h`;
  const days = minutes / 1_440;
  return days === 1 ? '1 day' : `${days} days`;
}

/** One matcher row of the form. */
export interface MatcherRow {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
}

/**
 * The `POST /silences` body the form describes: its matcher rows (rows with neither name nor
 * value left out), an end `minutes` after `now`, and the comment. Checks nothing itself: the API
 * validates (`matchers[0].value`, `comment`, ...) and its errors are shown at the fields.
 */
export function silenceFromForm(rows: readonly MatcherRow[], minutes: number, comment: string, now: number): SilenceInput {
  const matchers = rows
    .filter((row) => row.name.trim() !== '' || row.value !== '')
    .map((row) => ({ name: row.name.trim(), value: row.value, ...(row.isRegex ? { isRegex: true } : {}) }));
  return { matchers, endsAt: new Date(now + minutes * 60_000).toISOString(), comment: comment.trim() };
}

/** Matcher rows that silence what an alert's labels describe: its rule and, when it has one, its symbol. */
export function matchersForAlert(labels: Readonly<Record<string, string>>, ruleId: string): MatcherRow[] {
  const rows: MatcherRow[] = [{ name: 'rule', value: labels['rule'] ?? ruleId, isRegex: false }];
  if (labels['symbol'] !== undefined) rows.push({ name: 'symbol', value: labels['symbol'], isRegex: false });
  return rows;
}

/** Matchers as Alertmanager writes them: `symbol="BTC", rule=~"btc-.*", team!="desk"`. */
export function matchersText(matchers: readonly SilenceMatcher[]): string {
  const operator = (m: SilenceMatcher) => (m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=');
  return matchers.map((m) => `${m.name}${operator(m)}${JSON.stringify(m.value)}`).join(', ');
}
