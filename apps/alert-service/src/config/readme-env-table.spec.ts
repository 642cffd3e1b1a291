import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_CONFIG_VARIABLES } from '@rebal/redis-client';
import { envTableProblems, parseEnvTable } from '@rebal/service-kit';
import { ALERT_SERVICE_ENV } from './alert-service-env';

const README = join(__dirname, '../../../../README.md');

it('the README environment table lists every variable the alert-service reads, with its default, and no other', () => {
  const rows = parseEnvTable(readFileSync(README, 'utf8'));
  expect(envTableProblems(rows, { service: 'alert-service', variables: [...REDIS_CONFIG_VARIABLES, ...ALERT_SERVICE_ENV.describe()] })).toEqual([]);
});
