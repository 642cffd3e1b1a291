import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_CONFIG_VARIABLES } from '@rebal/redis-client';
import { envTableProblems, parseEnvTable } from '@rebal/service-kit';
import { HEALTH_MONITOR_ENV } from './health-monitor-env';

const README = join(__dirname, '../../../../README.md');

it('the README environment table lists every variable the health-monitor reads, with its default, and no other', () => {
  const rows = parseEnvTable(readFileSync(README, 'utf8'));
  expect(envTableProblems(rows, { service: 'health-monitor', variables: [...REDIS_CONFIG_VARIABLES, ...HEALTH_MONITOR_ENV.describe()] })).toEqual([]);
});
