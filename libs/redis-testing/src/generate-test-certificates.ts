import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

/** Options for {@link generateTestCertificates}. */
export interface GenerateTestCertificatesOptions {
  /** Directory the PEM files are written to (required; the server's own temporary directory). */
  dir: string;
  /** Names the server certificate is valid for, IP addresses or DNS names (default `['127.0.0.1', 'localhost']`). */
  hosts?: string[];
  /** How many days the certificates stay valid (default 2). */
  validDays?: number;
}

/** PEM files of a test CA and the server certificate it signed. */
export interface TestCertificates {
  /** CA certificate file (`ca.pem`). */
  caFile: string;
  /** Server certificate file (`server.pem`), signed by the CA. */
  certFile: string;
  /** Server private key file (`server-key.pem`, mode 0600). */
  keyFile: string;
  /** The CA certificate (PEM text). */
  ca: string;
}

function generateKeyPair(): Promise<forge.pki.rsa.KeyPair> {
  // forge hands this to node's native crypto when it can, so it takes milliseconds.
  return new Promise((resolve, reject) =>
    forge.pki.rsa.generateKeyPair({ bits: 2048, workers: -1 }, (error, keys) => (error ? reject(error) : resolve(keys))),
  );
}

function newCertificate(publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: 16 random bytes with the top bit cleared.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000); // tolerate a little clock skew
  cert.validity.notAfter = new Date(now + validDays * 24 * 60 * 60 * 1000);
  return cert;
}

/**
 * Makes a throwaway CA and a server certificate signed by it, valid for `hosts` as
 * subject alternative names, and writes them as PEM files into `dir`. A client that trusts
 * `ca` (and only it) can then verify the server as a real deployment would.
 */
export async function generateTestCertificates(options: GenerateTestCertificatesOptions): Promise<TestCertificates> {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const validDays = options.validDays ?? 2;
  if (hosts.length === 0) throw new Error('generateTestCertificates: hosts must name at least one host');
  const [caKeys, serverKeys] = await Promise.all([generateKeyPair(), generateKeyPair()]);

  const caCert = newCertificate(caKeys.publicKey, validDays);
  const caSubject = [{ name: 'commonName', value: 'Rebal Redis test CA' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverCert = newCertificate(serverKeys.publicKey, validDays);
  serverCert.setSubject([{ name: 'commonName', value: hosts[0] }]);
  serverCert.setIssuer(caSubject);
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      // type 7 is an IP address, type 2 a DNS name (RFC 5280 GeneralName).
      altNames: hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })),
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  serverCert.sign(caKeys.privateKey, forge.md.sha256.create());

  const ca = forge.pki.certificateToPem(caCert);
  const files = {
    caFile: join(options.dir, 'ca.pem'),
    certFile: join(options.dir, 'server.pem'),
    keyFile: join(options.dir, 'server-key.pem'),
  };
  writeFileSync(files.caFile, ca);
  writeFileSync(files.certFile, forge.pki.certificateToPem(serverCert));
  writeFileSync(files.keyFile, forge.pki.privateKeyToPem(serverKeys.privateKey), { mode: 0o600 });
  return { ...files, ca };
}
