import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayCloseCode, SERVER_ERROR_CODES, SERVER_FRAME_TYPES } from '@rebal/gateway-client';
import { CLOSE_REASONS } from './close-codes';
import { parseClientFrame } from './parse-client-frame';

// The docs are the contract for clients in other languages: keep them in step with the code.
const docsDir = join(__dirname, '..', '..', '..', '..', 'docs');
const protocolMd = readFileSync(join(docsDir, 'protocol.md'), 'utf8');
const asyncapi = readFileSync(join(docsDir, 'asyncapi.yaml'), 'utf8');

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

function jsonBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe('docs/protocol.md', () => {
  it('lists exactly the error codes of ServerErrorCode', () => {
    const rows = [...section(protocolMd, 'Error codes').matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]);
    expect(rows).toEqual([...SERVER_ERROR_CODES]);
  });

  it('lists every close code of GatewayCloseCode', () => {
    const rows = [...section(protocolMd, 'Close codes').matchAll(/^\| (\d{4}) \|/gm)].map((match) => Number(match[1]));
    for (const code of Object.values(GatewayCloseCode)) expect(rows).toContain(code);
  });

  it('shows only valid JSON in its json examples, and client frames the parser accepts', () => {
    const blocks = jsonBlocks(protocolMd);
    expect(blocks.length).toBeGreaterThan(15);
    for (const block of blocks) {
      const value = JSON.parse(block) as Record<string, unknown>;
      if ('op' in value) {
        const parsed = parseClientFrame(block, false);
        expect(parsed).toMatchObject({ ok: true });
      } else if ('type' in value) {
        expect(SERVER_FRAME_TYPES).toContain(value['type']);
      }
    }
  });
});

describe('docs/asyncapi.yaml', () => {
  it('declares AsyncAPI 3.0.0', () => {
    expect(asyncapi.startsWith('asyncapi: 3.0.0\n')).toBe(true);
  });

  it('enumerates exactly the error codes of ServerErrorCode', () => {
    const block = /\n {4}ErrorCode:\n[\s\S]*?\n {6}enum:\n((?: {8}- [a-z_]+\n)+)/.exec(asyncapi);
    expect(block).not.toBeNull();
    const codes = [...(block as RegExpExecArray)[1].matchAll(/- ([a-z_]+)/g)].map((match) => match[1]);
    expect(codes).toEqual([...SERVER_ERROR_CODES]);
  });

  it('lists every close code the gateway sends', () => {
    const codes = [...asyncapi.matchAll(/^ {2}- code: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(codes.sort()).toEqual(Object.keys(CLOSE_REASONS).map(Number).sort());
  });

  it('describes every server frame type', () => {
    for (const type of SERVER_FRAME_TYPES) expect(asyncapi).toContain(`const: ${type}\n`);
  });
});
