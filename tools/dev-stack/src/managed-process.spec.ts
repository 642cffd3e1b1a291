import { PassThrough } from 'node:stream';
import { ManagedProcess } from './managed-process';

/**
 * Runs `script` in a Node child through ManagedProcess and resolves with what it printed once
 * `lines` lines have come through (they may follow the exit event), failing after 5 s.
 */
async function printed(script: string, lines: number, format?: (line: string) => string): Promise<{ text: string; raw: string[] }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const raw: string[] = [];
  const child = new ManagedProcess({ name: 'svc', command: process.execPath, args: ['-e', script], out, format, onLine: (line) => raw.push(line) });
  await child.exited;
  const deadline = Date.now() + 5_000;
  while (raw.length < lines) {
    if (Date.now() > deadline) throw new Error(`got ${raw.length} of ${lines} lines: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { text, raw };
}

describe('ManagedProcess', () => {
  it('prints each line of the child with its name as a prefix', async () => {
    const { text } = await printed('console.log("one"); console.error("two")', 2);
    expect(text.split('\n').filter(Boolean).sort()).toEqual(['[svc] one', '[svc] two']);
  });

  it('prints each line through format, prefixing every line of the result, and hands onLine the line as written', async () => {
    const { text, raw } = await printed('console.log(JSON.stringify({ msg: "hi" }))', 1, (line) => `formatted ${line}\n  second line`);
    expect(text).toBe('[svc] formatted {"msg":"hi"}\n[svc]   second line\n');
    expect(raw).toEqual(['{"msg":"hi"}']);
  });
});
