import type { WebhookEvent } from '../../shared/webhooks.js';
import { secretProblem } from '../../shared/webhooks.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { ConfigError, formatPath } from '../config/config-file.js';
import type { Endpoint } from './delivery.js';
import { secretKey } from './signature.js';

/** A workshop's webhook endpoints as the hub uses them: the secret read (from the file or its variable) and turned into the key. */
export interface ResolvedEndpoint extends Endpoint {
  events: ReadonlySet<WebhookEvent>;
  includeCustomerLink: boolean;
}

/**
 * Every workshop's endpoints, their `secretEnv` read from `env`; every missing or malformed
 * variable is reported at once, naming the config file, the field and the variable (never
 * its value). Workshops without webhooks are left out.
 */
export function resolveEndpoints(
  workshops: readonly WorkshopConfig[],
  env: Readonly<Record<string, string | undefined>>,
  source = 'the config file',
): Map<string, ResolvedEndpoint[]> {
  const problems: string[] = [];
  const byWorkshop = new Map<string, ResolvedEndpoint[]>();
  workshops.forEach((ws, w) => {
    const list: ResolvedEndpoint[] = [];
    (ws.webhooks ?? []).forEach((e, i) => {
      const field = formatPath(['workshops', w, 'webhooks', i, 'secretEnv']);
      const secret = e.secret ?? env[e.secretEnv!]?.trim();
      // The file's own `secret` was checked with the file; a variable's is checked here.
      const problem =
        secret === undefined || secret === '' ? `the environment variable ${e.secretEnv} is not set (it must hold the endpoint's whsec_… secret)`
        : e.secret === undefined ? withVariable(e.secretEnv!, secretProblem(secret))
        : null;
      if (problem !== null) problems.push(`${field} — ${problem}`);
      else list.push({ id: `${ws.id}#${i}`, url: e.url, hmacKey: secretKey(secret!), events: new Set(e.events), includeCustomerLink: e.includeCustomerLink ?? false });
    });
    if (list.length > 0) byWorkshop.set(ws.id, list);
  });
  if (problems.length > 0) throw new ConfigError(`Invalid config file ${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`, problems);
  return byWorkshop;
}

function withVariable(name: string, problem: string | null): string | null {
  return problem === null ? null : `the environment variable ${name} ${problem}`;
}
