import { tokenDigest } from './config/config-file.js';

/**
 * `npm run hash-token -- <token>`: prints the line to put in the config instead of the token,
 * so the file on disk opens nothing if it leaks. Reads the token from stdin when not given, so
 * it need not sit in the shell history.
 */
async function main(): Promise<void> {
  let token = process.argv[2];
  if (token === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    token = Buffer.concat(chunks).toString('utf8').trim();
  }
  if (token.length < 16) {
    console.error('hash-token: a token must be at least 16 characters');
    process.exit(2);
  }
  console.log(JSON.stringify({ tokenSha256: tokenDigest(token) }));
}

void main();
