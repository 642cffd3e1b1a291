import { checkAlerts } from './checks/alert-check';
import { chaosRules, CHAOS_RECOVERY, CHAOS_THRESHOLD, expectedAlert, planSymbols, priceAt } from './price-plan';

describe('planSymbols and priceAt', () => {
  const plans = planSymbols({ seed: 3, symbols: 12, ticks: 200, firstCrossTick: 30 });

  it('deals every fate, with crossings after the calm phase and resolutions before the end', () => {
    expect(new Set(plans.map((plan) => plan.fate))).toEqual(new Set(['quiet', 'fires', 'fires-then-resolves', 'fires-then-acknowledged']));
    for (const plan of plans) {
      if (plan.crossAtTick !== undefined) expect(plan.crossAtTick).toBeGreaterThanOrEqual(30);
      if (plan.resolveAtTick !== undefined) expect(plan.resolveAtTick).toBeLessThan(200);
    }
  });

  it('prices stay under the threshold before the crossing, at or over it while firing, and under recovery after', () => {
    for (const plan of plans) {
      for (let tick = 0; tick < 200; tick += 1) {
        const price = priceAt(plan, tick);
        if (plan.resolveAtTick !== undefined && tick >= plan.resolveAtTick) expect(price).toBeLessThan(CHAOS_RECOVERY);
        else if (plan.crossAtTick !== undefined && tick >= plan.crossAtTick) expect(price).toBeGreaterThanOrEqual(CHAOS_THRESHOLD);
        else expect(price).toBeLessThan(CHAOS_RECOVERY);
      }
    }
  });

  it('gives every symbol one rule', () => {
    expect(chaosRules(plans).map((rule) => (rule as { id: string }).id)).toEqual(plans.map((plan) => `chaos-${plan.symbol.toLowerCase()}`));
  });
});

describe('checkAlerts', () => {
  const plans = planSymbols({ seed: 3, symbols: 4, ticks: 100 });
  const alertsAsPlanned = plans
    .filter((plan) => expectedAlert(plan) !== 'none')
    .map((plan) => ({ id: `a-${plan.symbol}`, ruleId: `chaos-${plan.symbol.toLowerCase()}`, status: expectedAlert(plan), labels: { symbol: plan.symbol } }));
  const raised = alertsAsPlanned.map((alert) => ({ eventId: `e-${alert.id}`, type: 'alert.raised', alertId: alert.id }));

  it('passes alerts exactly as the plans imply', () => {
    expect(checkAlerts(plans, alertsAsPlanned, raised)).toMatchObject({ expected: 3, found: 3, problems: [] });
  });

  it('reports a missing alert, a wrong status, a second alert, a double raise and a repeated event', () => {
    const [first, second, third] = alertsAsPlanned as [typeof alertsAsPlanned[0], typeof alertsAsPlanned[0], typeof alertsAsPlanned[0]];
    const verdict = checkAlerts(
      plans,
      [{ ...first, status: 'snoozed' }, second, { ...second, id: 'other' }],
      [...raised, { eventId: 'x', type: 'alert.raised', alertId: first.id }, raised[0] as (typeof raised)[0]],
    );
    expect(verdict.problems.join('\n')).toMatch(new RegExp(`${third.labels.symbol}.*has 0 alerts`));
    expect(verdict.problems.join('\n')).toMatch(/is snoozed, expected/);
    expect(verdict.problems.join('\n')).toMatch(/has 2 alerts, expected exactly 1/);
    expect(verdict.problems.join('\n')).toMatch(/raised 3 times/);
    expect(verdict.problems.join('\n')).toMatch(/on the alerts stream twice/);
  });
});
