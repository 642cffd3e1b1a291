import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestCertificates } from './generate-test-certificates';

describe('generateTestCertificates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebal-certs-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a CA and a server certificate for 127.0.0.1 and localhost that the CA signed', async () => {
    const files = await generateTestCertificates({ dir });
    const ca = new X509Certificate(readFileSync(files.caFile));
    const server = new X509Certificate(readFileSync(files.certFile));

    expect(files.ca).toBe(readFileSync(files.caFile, 'utf8'));
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now() + 24 * 60 * 60 * 1000);
  });

  it('writes the server key readable by its owner only, matching the certificate', async () => {
    const files = await generateTestCertificates({ dir, hosts: ['localhost'] });
    expect(statSync(files.keyFile).mode & 0o777).toBe(0o600);
    const server = new X509Certificate(readFileSync(files.certFile));
    expect(server.checkPrivateKey(createPrivateKey(readFileSync(files.keyFile)))).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBeUndefined();
  });
});
