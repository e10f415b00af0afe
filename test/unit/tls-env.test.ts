import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config/config-file.js';
import { readEnv } from '../../server/config/env.js';
import { readTlsFiles } from '../../server/config/tls-files.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/self-signed.js';

/**
 * PITWALL_TLS_CERT and PITWALL_TLS_KEY as an IT person gets them wrong: each mistake stops the
 * start with the variable, the file and the problem (server/config/tls-files.ts).
 */
let good: TestCertificate;
let other: TestCertificate;

beforeAll(async () => {
  [good, other] = await Promise.all([selfSignedCertificate(['127.0.0.1']), selfSignedCertificate(['127.0.0.1'])]);
});
afterAll(async () => {
  await Promise.all([good, other].map((c) => c && rm(c.dir, { recursive: true, force: true })));
});

/** readEnv's refusal, as the operator reads it. */
function refusal(env: Record<string, string>): string {
  try {
    readEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('readEnv accepted it');
}

describe('PITWALL_TLS_CERT and PITWALL_TLS_KEY', () => {
  it('neither: plain HTTP, as by default', () => {
    expect(readEnv({}).tls).toBeUndefined();
    expect(readEnv({ PITWALL_TLS_CERT: ' ', PITWALL_TLS_KEY: '' }).tls).toBeUndefined();
  });

  it('both, matching: read once, with the paths and the end of validity for the log', async () => {
    const { tls } = readEnv({ PITWALL_TLS_CERT: good.certFile, PITWALL_TLS_KEY: good.keyFile });
    expect(tls).toMatchObject({ certFile: good.certFile, keyFile: good.keyFile });
    expect(tls!.cert.equals(await readFile(good.certFile))).toBe(true);
    expect(Date.parse(tls!.validTo)).toBeGreaterThan(Date.now());
  });

  it('one without the other: names both', () => {
    expect(refusal({ PITWALL_TLS_CERT: good.certFile })).toMatch(/PITWALL_TLS_CERT is set but PITWALL_TLS_KEY is not/);
    expect(refusal({ PITWALL_TLS_KEY: good.keyFile })).toMatch(/PITWALL_TLS_KEY is set but PITWALL_TLS_CERT is not/);
  });

  it('a missing file: the variable, the absolute path and "no such file"', () => {
    const missing = path.join(good.dir, 'nope.pem');
    expect(refusal({ PITWALL_TLS_CERT: missing, PITWALL_TLS_KEY: good.keyFile })).toContain(`PITWALL_TLS_CERT="${missing}" — cannot read the file: no such file`);
    expect(refusal({ PITWALL_TLS_CERT: good.certFile, PITWALL_TLS_KEY: good.dir })).toContain(`PITWALL_TLS_KEY="${good.dir}" — cannot read the file: a directory`);
  });

  it('files swapped or not PEM: says which is wrong and what it should look like', async () => {
    expect(refusal({ PITWALL_TLS_CERT: good.keyFile, PITWALL_TLS_KEY: good.certFile })).toContain(`PITWALL_TLS_CERT="${good.keyFile}" — not a PEM certificate`);
    const junk = path.join(good.dir, 'junk.pem');
    await writeFile(junk, 'hello');
    expect(refusal({ PITWALL_TLS_CERT: good.certFile, PITWALL_TLS_KEY: junk })).toContain(`PITWALL_TLS_KEY="${junk}" — not an unencrypted PEM private key`);
  });

  it("another certificate's key: refused, naming both files", () => {
    expect(refusal({ PITWALL_TLS_CERT: good.certFile, PITWALL_TLS_KEY: other.keyFile })).toContain(`PITWALL_TLS_KEY="${other.keyFile}" — is not the private key of the certificate in PITWALL_TLS_CERT="${good.certFile}"`);
  });

  it('an expired certificate: refused with its date, before any tablet refuses it', () => {
    // The good certificate, read as if three days had passed (it is valid for two).
    const problems: string[] = [];
    const env: Record<string, string> = { PITWALL_TLS_CERT: good.certFile, PITWALL_TLS_KEY: good.keyFile };
    expect(readTlsFiles((n) => env[n], (p) => problems.push(p), Date.now() + 3 * 86_400_000)).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^PITWALL_TLS_CERT="${good.certFile}" — the certificate expired on \\d{4}-\\d\\d-\\d\\dT`))]);
  });
});
