import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/auth.js';
import { ACTIONS, can, mayWrite, readOnlyRefusal, refusal, type Action } from '../../shared/permissions.js';

/**
 * The permission table (shared/permissions.ts), cell by cell against a table written out here
 * by hand: a change to who may do what has to change this test too. The hub's 403s go through
 * it (test/integration/permissions.test.ts asks a real hub every cell); here the source is
 * checked for refusals written anywhere else.
 */

const B = 'board';
const T = 'terminal';
const LD = 'lead';
const AD = 'admin';

const EXPECTED: Record<Action, readonly Role[]> = {
  'read:board': [B, T, LD, AD],
  'read:series': [B, T, LD, AD],
  'read:technicians': [B, T, LD, AD],
  'read:forecast': [B, T, LD, AD],
  'read:jobs': [B, T, LD, AD],
  'read:staffing': [B, T, LD, AD],
  'read:daily': [LD, AD],
  'read:history': [LD, AD],
  'read:events': [LD, AD],
  'preview:move': [LD, AD],
  'ack:alert': [LD, AD],
  'read:capacity': [LD, AD],
  'read:appointments': [T, LD, AD],
  'speak:terminal': [T, LD, AD],
  'mint:customer_link': [T, LD, AD],
  'post:shift.clock_in': [T, LD, AD],
  'post:shift.clock_out': [T, LD, AD],
  'post:shift.break_start': [T, LD, AD],
  'post:shift.break_end': [T, LD, AD],
  'post:job.checked_in': [T, LD, AD],
  'post:job.started': [T, LD, AD],
  'post:job.paused': [T, LD, AD],
  'post:job.resumed': [T, LD, AD],
  'post:job.completed': [T, LD, AD],
  'post:job.delivered': [T, LD, AD],
  'post:job.cancelled': [T, LD, AD],
  'post:survey.submitted': [T, LD, AD],
  'post:staff.reassigned': [LD, AD],
  'post:job.time_confirmed': [LD, AD],
  'post:job.customer_updated': [T, LD, AD],
  'post:appointment.booked': [T, LD, AD],
  'post:appointment.cancelled': [T, LD, AD],
};

describe('the permission table', () => {
  it('lists exactly the actions of the table written here', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(ROLES.map((role) => ({ role })))('$role', ({ role }) => {
    it.each(Object.entries(EXPECTED).map(([action, roles]) => ({ action: action as Action, allowed: roles.includes(role) })))('$action: $allowed', ({ action, allowed }) => {
      expect(can(role, action)).toBe(allowed);
    });
  });

  it('knows which roles write at all: every role but the board', () => {
    expect(ROLES.filter(mayWrite)).toEqual([T, LD, AD]);
  });

  it('refuses in the sentences the hub has always used', () => {
    expect(readOnlyRefusal('board')).toBe('a board token is read-only');
    expect(refusal('terminal', 'post:staff.reassigned')).toBe('a terminal token may not send staff.reassigned');
    expect(refusal('terminal', 'post:job.time_confirmed')).toBe('a terminal token may not send job.time_confirmed');
    expect(refusal('board', 'speak:terminal')).toBe('a board token cannot speak for a terminal');
    expect(refusal('terminal', 'ack:alert')).toBe('only a lead or admin token may acknowledge alerts');
    expect(refusal('board', 'ack:alert')).toBe('only a lead or admin token may acknowledge alerts');
    expect(refusal('terminal', 'read:daily')).toBe('a terminal token may not read the daily report (lead or admin only)');
    expect(refusal('board', 'read:history')).toBe('a board token may not read the history (lead or admin only)');
    expect(refusal('terminal', 'preview:move')).toBe('a terminal token may not move staff (lead or admin only)');
    expect(refusal('board', 'read:events')).toBe('a board token may not read the event log (lead or admin only)');
  });

  it('gives every action a refusal that names the role refused, or the roles allowed', () => {
    for (const action of ACTIONS) {
      const text = refusal('board', action);
      if (action === 'ack:alert') expect(text).toMatch(/lead or admin token/);
      else expect(text, action).toMatch(/^a board token (may not|cannot) /);
      if (action.startsWith('read:') || action === 'preview:move') expect(text, action).toMatch(new RegExp(`\\(${EXPECTED[action].join(', ').replace(/, (\w+)$/, ' or $1')} only\\)$`));
    }
  });
});

/** Every .ts file under a folder of the repository. */
async function sources(dir: string): Promise<{ file: string; text: string }[]> {
  const root = path.resolve(import.meta.dirname, '../..');
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(path.join(root, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.push({ file: path.relative(root, full), text: await readFile(full, 'utf8') });
  }
  return out;
}

describe('every 403 of the hub goes through the table', () => {
  /** Where a refusal may be written, and why there. */
  const REFUSERS: Record<string, string> = {
    'server/errors.ts': 'defines fail.forbidden',
    'server/workshops/access.ts': 'the table (and the token’s workshops) applied to a principal',
    'server/http/routes/workshops.ts': 'the token’s workshops, checked before the body is read (docs/api.md, the order of checks): not a role’s right',
  };
  /** Where a role may be compared by name, and why there. */
  const ROLE_READERS: Record<string, string> = {
    'server/http/auth.ts': 'which tokens may travel in a URL (authentication, 401): only a board’s',
  };

  it('writes fail.forbidden only where the table is applied', async () => {
    const offenders = (await sources('server')).filter((s) => /\bforbidden\(/.test(s.text) && !(s.file in REFUSERS)).map((s) => s.file);
    expect(offenders).toEqual([]);
  });

  it('compares roles by name nowhere else in the server', async () => {
    const offenders = (await sources('server')).filter((s) => /\.role\s*[!=]==|===?\s*'(board|terminal|lead|admin)'/.test(s.text) && !(s.file in ROLE_READERS)).map((s) => s.file);
    expect(offenders).toEqual([]);
  });
});
