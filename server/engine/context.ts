import { resolveThresholds, type Thresholds } from '../../shared/lights.js';
import { bayIsHighVoltage, HV_JOB_LEVEL, hvLevelOf, teamsOf, type WorkshopConfig } from '../../shared/workshop.js';

/** What the engine needs to know about a workshop besides its events: the config, indexed. */
export interface WorkshopContext {
  readonly config: WorkshopConfig;
  readonly timezone: string;
  readonly bayIds: ReadonlySet<string>;
  readonly technicianIds: ReadonlySet<string>;
  readonly advisorIds: ReadonlySet<string>;
  readonly teams: ReadonlySet<string>;
  readonly thresholds: Thresholds;
  readonly highVoltageBays: ReadonlySet<string>;
  /** Technicians of high-voltage level 2 or more (may take `highVoltage` jobs). */
  readonly highVoltageTechnicians: ReadonlySet<string>;
  /** Quarantine bays for damaged batteries (`isolation: true`; also in `highVoltageBays`). */
  readonly isolationBays: ReadonlySet<string>;
  /** Each technician's high-voltage level 0–3 (shared/workshop.ts, hvLevelOf). */
  readonly hvLevels: ReadonlyMap<string, number>;
  /** Per bay, in config order: high-voltage equipped / an isolation bay (the forecast's inner loop). */
  readonly bayHv: readonly boolean[];
  readonly bayIsolation: readonly boolean[];
}

export function workshopContext(config: WorkshopConfig): WorkshopContext {
  return {
    config,
    timezone: config.timezone,
    bayIds: new Set(config.bays.map((b) => b.id)),
    technicianIds: new Set(config.technicians.map((t) => t.id)),
    advisorIds: new Set(config.advisors.map((a) => a.id)),
    teams: teamsOf(config),
    thresholds: resolveThresholds(config.thresholds),
    highVoltageBays: new Set(config.bays.filter(bayIsHighVoltage).map((b) => b.id)),
    highVoltageTechnicians: new Set(config.technicians.filter((t) => hvLevelOf(t) >= HV_JOB_LEVEL).map((t) => t.id)),
    isolationBays: new Set(config.bays.filter((b) => b.isolation === true).map((b) => b.id)),
    hvLevels: new Map(config.technicians.map((t) => [t.id, hvLevelOf(t)])),
    bayHv: config.bays.map(bayIsHighVoltage),
    bayIsolation: config.bays.map((b) => b.isolation === true),
  };
}
