import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { requireBinary } from './find-binary.js';

/**
 * A throwaway self-signed certificate for the tests that run the hub on HTTPS, made by
 * `openssl` (installed on the build machines) in a temp dir: valid for `days` from now for
 * the given IP addresses (and localhost). Browsers are launched with --ignore-certificate-errors.
 */
export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
}

export async function selfSignedCertificate(ips: string[], days = 2): Promise<TestCertificate> {
  const openssl = requireBinary('openssl', 'openssl', 'the HTTPS tests');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const san = ['DNS:localhost', ...ips.map((ip) => `IP:${ip}`)].join(',');
  execFileSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', '/CN=pitwall-test', '-addext', `subjectAltName=${san}`], { stdio: 'pipe' });
  return { dir, certFile, keyFile };
}
