import type { CustomerJobView } from '../../shared/customer-view.js';
import { fail } from '../errors.js';
import type { TokenBudget } from '../limits/token-budget.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { capabilityTarget, capabilityValid, mintCapability, type CapabilityTarget } from './capability.js';
import type { LinkKeys } from './link-keys.js';

/**
 * The one place a customer's link is made and checked, for the HTTP page read and the
 * `/customer` socket alike (docs/security.md, "The customer's link"): a link opens when its
 * workshop is configured, its mac is the workshop key's, and the workshop still has an open
 * view of the job (known, not past its expiry). Every other case is the same `null`, so an
 * answer never tells an unknown link from an expired one.
 */
export interface CustomerDoor {
  /** The link for a job, once the principal's checks passed (WorkshopService.authoriseCustomerLink). */
  mint(target: CapabilityTarget): Promise<string>;
  /** The job a link opens and its view now, or null. */
  open(capability: string): Promise<{ target: CapabilityTarget; view: CustomerJobView } | null>;
  /** One request (or socket connection) from a client address; throws the 429 ApiFailure past the budget. */
  charge(address: string): Promise<void>;
}

export interface CustomerDoorDeps {
  service: WorkshopService;
  keys: LinkKeys;
  /** Per client address, apart from the tokens' budget: PITWALL_CUSTOMER_RATE_LIMIT. */
  budget: TokenBudget;
  clock: () => number;
}

export function customerDoor(deps: CustomerDoorDeps): CustomerDoor {
  const { service, keys, budget, clock } = deps;
  return {
    async mint(target) {
      return mintCapability(await keys.keyOf(target.workshopId), target);
    },
    async open(capability) {
      const target = capabilityTarget(capability);
      // An unconfigured workshop gets no key (keys are created per configured workshop only).
      if (target === null || service.config(target.workshopId) === undefined) return null;
      if (!capabilityValid(await keys.keyOf(target.workshopId), capability, target)) return null;
      const view = await service.customerView(target.workshopId, target.jobId, clock());
      return view === null ? null : { target, view };
    },
    async charge(address) {
      const verdict = await budget.take(`address:${address}`, 1);
      // A customer's phone, not a terminal: no budget talk, only when to try again.
      if (!verdict.ok) throw fail.tooManyRequests(`too many requests from this address; try again in ${verdict.resetSeconds} s`, verdict.resetSeconds);
    },
  };
}

/** The answer to an unknown or expired link, the same for both. */
export const linkClosed = () => fail.notFound('this link is unknown or has expired');
