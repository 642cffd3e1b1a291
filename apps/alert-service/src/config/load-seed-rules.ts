import { readFileSync } from 'node:fs';
import { ConfigError } from '@rebal/redis-client';
import { parseRuleDefinitions, RuleValidationError, seedRules, type RuleDefinition } from '../rules';

/**
 * The rules to seed on the first start: the JSON array in `file` (`ALERT_SEED_FILE`), or the
 * built-in seed rules when no file is given.
 * @throws ConfigError (variable `ALERT_SEED_FILE`) when the file cannot be read, is not JSON, or holds an invalid rule
 */
export function loadSeedRules(file: string | undefined): RuleDefinition[] {
  if (file === undefined) return seedRules();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('ALERT_SEED_FILE', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); expected a readable JSON file`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new ConfigError('ALERT_SEED_FILE', `${file} is not valid JSON; expected an array of rule definitions`);
  }
  try {
    return parseRuleDefinitions(input);
  } catch (error) {
    if (error instanceof RuleValidationError) throw new ConfigError('ALERT_SEED_FILE', `${file}: ${error.message}`);
    throw error;
  }
}
