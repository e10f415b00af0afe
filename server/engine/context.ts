import { resolveThresholds, type Thresholds } from '../../shared/lights.js';
import { teamsOf, type WorkshopConfig } from '../../shared/workshop.js';

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
  readonly highVoltageTechnicians: ReadonlySet<string>;
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
    highVoltageBays: new Set(config.bays.filter((b) => b.highVoltage).map((b) => b.id)),
    highVoltageTechnicians: new Set(config.technicians.filter((t) => t.highVoltageQualified).map((t) => t.id)),
  };
}
