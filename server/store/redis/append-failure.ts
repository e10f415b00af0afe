import { ReplyError } from 'ioredis';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../event-store.js';

/**
 * What a failed append script call tells us about the log, as the error the hub answers by.
 *
 * Only Redis itself can say "not written", by answering with an error before the script ran
 * (BUSY, LOADING, NOSCRIPT, MISCONF, READONLY, NOPERM…). An error raised while the script
 * ran carries " script: <sha>, on @user_script:<line>" and may come after some of its writes
 * (Redis does not roll a script back). Everything else (ioredis's "Command timed out", a
 * connection closed or retried after the command was written) means the command may still be
 * run, or has been run without its reply reaching us: a Redis stopped (SIGSTOP, a long fork,
 * a VM pause) runs what it finds in its socket once it resumes.
 */
export function appendFailure(err: unknown): StoreUnavailableError {
  const reason = err instanceof Error ? err.message : String(err);
  if (err instanceof ReplyError && !/ script: [0-9a-f]+/.test(reason)) {
    return new StoreUnavailableError(`redis refused the append before running it: ${reason}`, { cause: err });
  }
  return new StoreOutcomeUnknownError(`redis did not confirm the append: ${reason}`, { cause: err });
}
