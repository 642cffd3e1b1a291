import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_CONFIG_VARIABLES } from '@rebal/redis-client';
import { envTableProblems, parseEnvTable } from '@rebal/service-kit';
import { GATEWAY_ENV } from './gateway-env';

const README = join(__dirname, '../../../../README.md');

it('the README environment table lists every variable the streaming-gateway reads, with its default, and no other', () => {
  const rows = parseEnvTable(readFileSync(README, 'utf8'));
  expect(envTableProblems(rows, { service: 'streaming-gateway', variables: [...REDIS_CONFIG_VARIABLES, ...GATEWAY_ENV.describe()] })).toEqual([]);
});
