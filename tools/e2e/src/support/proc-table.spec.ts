import { spawn } from 'node:child_process';
import { groupMembers, processTree, readProc, stillRunning } from './proc-table';

describe('proc-table', () => {
  it('reads this process: its parent, group and name', () => {
    const me = readProc(process.pid);
    expect(me).toEqual(expect.objectContaining({ pid: process.pid, ppid: process.ppid, comm: expect.stringMatching(/node|jest/) }));
    expect(me?.startTime).toBeGreaterThan(0);
  });

  it('finds a detached child in the tree and as the only member of its group, and tells when it is gone', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pid = child.pid as number;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const tree = processTree(process.pid);
      expect(tree.map((p) => p.pid)).toContain(pid);
      expect(groupMembers(pid).map((p) => p.comm)).toEqual(['sleep']);
      expect(stillRunning(tree.filter((p) => p.pid === pid))).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(readProc(pid)).toBeUndefined();
  });
});
