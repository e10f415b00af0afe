import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * PITWALL_TLS_CERT and PITWALL_TLS_KEY: the hub serves HTTPS itself (docs/operations.md, "HTTPS
 * on the shop's network"). Both or neither; each is a PEM file, read and checked here, once, so
 * a wrong file stops the start with the variable, the file and what is wrong with it, instead
 * of a hub that listens and then fails every handshake.
 */
export interface TlsFiles {
  /** Absolute paths, for the start-up log. */
  certFile: string;
  keyFile: string;
  /** PEM: the certificate (with its chain, when the file holds one) and its private key. */
  cert: Buffer;
  key: Buffer;
  /** When the certificate stops being valid (ISO), for the start-up log. */
  validTo: string;
}

type Problem = (text: string) => void;

export function readTlsFiles(get: (name: string) => string | undefined, problem: Problem, now: number = Date.now()): TlsFiles | undefined {
  const certPath = get('PITWALL_TLS_CERT');
  const keyPath = get('PITWALL_TLS_KEY');
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    const [set, missing] = certPath === undefined ? ['PITWALL_TLS_KEY', 'PITWALL_TLS_CERT'] : ['PITWALL_TLS_CERT', 'PITWALL_TLS_KEY'];
    problem(`${set} is set but ${missing} is not — expected both (the certificate and its private key, PEM files) or neither (plain HTTP)`);
    return undefined;
  }
  const certFile = resolve(certPath);
  const keyFile = resolve(keyPath);
  const cert = readPem('PITWALL_TLS_CERT', certFile, problem);
  const key = readPem('PITWALL_TLS_KEY', keyFile, problem);
  if (cert === undefined || key === undefined) return undefined;

  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    problem(`PITWALL_TLS_CERT="${certFile}" — not a PEM certificate (${reason(err)}); expected a file starting with -----BEGIN CERTIFICATE-----`);
    return undefined;
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    problem(`PITWALL_TLS_KEY="${keyFile}" — not an unencrypted PEM private key (${reason(err)}); expected a file starting with -----BEGIN PRIVATE KEY----- (a passphrase-protected key cannot be used)`);
    return undefined;
  }
  if (!x509.checkPrivateKey(keyObject)) {
    problem(`PITWALL_TLS_KEY="${keyFile}" — is not the private key of the certificate in PITWALL_TLS_CERT="${certFile}"`);
    return undefined;
  }
  const validTo = new Date(x509.validTo).toISOString();
  // Every browser would refuse it: better said at start than by each tablet.
  if (Date.parse(validTo) < now) {
    problem(`PITWALL_TLS_CERT="${certFile}" — the certificate expired on ${validTo}; renew it (docs/operations.md, "HTTPS on the shop's network")`);
    return undefined;
  }
  return { certFile, keyFile, cert, key, validTo };
}

function readPem(name: string, file: string, problem: Problem): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied (the hub runs as an unprivileged user: make the file readable to it)' : code === 'EISDIR' ? 'a directory, not a file' : reason(err);
    problem(`${name}="${file}" — cannot read the file: ${why}`);
    return undefined;
  }
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
