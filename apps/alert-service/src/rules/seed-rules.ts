import seedRuleInputs from './seed-rules.json';
import { parseRuleDefinitions, type RuleDefinition } from './rule-definition';

/**
 * The seed rules of a fresh installation (`seed-rules.json`: BTC/ETH price thresholds and
 * 5 %/1 h moves, a portfolio drift rule with Slow/Freeze actions, var_95 and max_drawdown
 * risk rules, a service health rule), validated and with defaults applied. A new array each call.
 * @throws RuleValidationError if the file were ever edited into an invalid state (a test guards it)
 */
export function seedRules(): RuleDefinition[] {
  return parseRuleDefinitions(structuredClone(seedRuleInputs));
}
