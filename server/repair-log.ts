import path from 'node:path';
import { repairLog } from './store/embedded/log-repair.js';

/**
 * `npm run repair-log -- <data dir>/events/<workshop>.jsonl` (in the image:
 * `node dist/server/repair-log.js …`): the command the hub names when it refuses an embedded
 * log at start-up (damaged, or shorter than its mark). Stop the hub first. What it keeps and
 * what it sets aside: server/store/embedded/log-repair.ts; docs/operations.md.
 */
async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === undefined || arg.startsWith('-')) {
    console.error('usage: npm run repair-log -- <data dir>/events/<workshop>.jsonl   (stop the hub first)');
    process.exit(2);
  }
  const file = path.resolve(arg);
  try {
    const report = await repairLog(file);
    if (report.kind === 'mark-removed') {
      console.log(`${file} does not exist: removed its mark ${report.markFile}; the workshop starts with an empty log`);
      return;
    }
    if (report.backup) console.log(`copied ${file} to ${report.backup}`);
    if (report.reason) console.log(`found: ${report.reason}`);
    if (report.removedBytes > 0) console.log(`cut the log from line ${report.firstRemovedLine} on (${report.removedBytes} byte(s), kept in the copy)`);
    if (report.sealed > 0) console.log(`closed the last ${report.sealed} event line(s) with a commit record`);
    const span = report.firstSeq > 1 ? ` (seq ${report.firstSeq}–${report.events}, the start trimmed)` : '';
    console.log(`the log holds ${report.events - report.firstSeq + 1} event(s)${span}, ${report.bytes} bytes; its mark says the same. The hub can start.`);
  } catch (err) {
    console.error(`repair-log: ${(err as Error).message}`);
    process.exit(1);
  }
}

void main();
