import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_CONFIG_VARIABLES } from '@rebal/redis-client';
import { envTableProblems, parseEnvTable } from '@rebal/service-kit';
import { describeSimulatorConfig } from './simulator-config';

const README = join(__dirname, '../../../../README.md');

it('the README environment table lists every variable the market-simulator reads, with its default, and no other', () => {
  const rows = parseEnvTable(readFileSync(README, 'utf8'));
  expect(envTableProblems(rows, { service: 'market-simulator', variables: [...REDIS_CONFIG_VARIABLES, ...describeSimulatorConfig()] })).toEqual([]);
});
