import { startRedis, useRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { connect } from '../test/monitor-harness';
import { collectRedis } from './collect-redis';

jest.setTimeout(30_000);

const master = useRedis({ runtime: 'process' });

describe('collectRedis', () => {
  let replica: RedisTestServer | undefined;
  let masterConn: RedisConnection | undefined;
  let replicaConn: RedisConnection | undefined;

  beforeAll(async () => {
    const masterPort = String(master.server.nodes[0]?.port);
    replica = await startRedis({ runtime: 'process', args: ['--replicaof', '127.0.0.1', masterPort] });
    masterConn = await connect(master.server);
    replicaConn = await connect(replica);
  });

  afterAll(async () => {
    masterConn?.disconnect();
    replicaConn?.disconnect();
    await replica?.dispose();
  });

  it('reads reachability, round trip, version, role and replication from a real master and its replica', async () => {
    const masterAddress = `127.0.0.1:${master.server.nodes[0]?.port}`;
    const replicaAddress = `127.0.0.1:${replica?.nodes[0]?.port}`;
    const onMaster = async () => collectRedis(masterConn as RedisConnection, { mode: 'standalone', address: masterAddress, timeoutMs: 2_000 });
    const onReplica = async () => collectRedis(replicaConn as RedisConnection, { mode: 'standalone', address: replicaAddress, timeoutMs: 2_000 });

    const fromMaster = await waitFor(async () => {
      const report = await onMaster();
      return report.nodes[0]?.info?.replication.connectedReplicas === 1 ? report : undefined;
    }, { timeoutMs: 15_000, message: 'the master counts its replica' });
    expect(fromMaster).toMatchObject({ mode: 'standalone', reachable: true, nodes: [{ address: masterAddress, reachable: true }] });
    expect(fromMaster.nodes[0]?.latencyMs).toBeGreaterThan(0);
    expect(fromMaster.nodes[0]?.info).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), replication: { role: 'master', connectedReplicas: 1 } });
    expect(fromMaster.nodes[0]?.info?.replication.masterLinkUp).toBeUndefined();

    const fromReplica = await waitFor(async () => {
      const report = await onReplica();
      return report.nodes[0]?.info?.replication.masterLinkUp === true ? report : undefined;
    }, { timeoutMs: 15_000, message: 'the replica reports its link up' });
    expect(fromReplica.nodes[0]?.info?.replication).toEqual({
      role: 'slave', connectedReplicas: 0, masterHost: '127.0.0.1', masterPort: String(master.server.nodes[0]?.port), masterLinkUp: true,
    });

    // The master goes away: the replica's link is reported down.
    await master.server.stop();
    await waitFor(async () => (await onReplica()).nodes[0]?.info?.replication.masterLinkUp === false, { timeoutMs: 15_000, message: 'the replica reports its link down' });
    expect(await onMaster()).toMatchObject({ reachable: false, nodes: [{ address: masterAddress, reachable: false, error: expect.any(String) }] });
  });
});
