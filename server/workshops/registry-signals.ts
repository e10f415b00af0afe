import type { AlertMessage } from '../../shared/snapshot.js';
import { Signal } from './signal.js';
import type { AcknowledgedAlert, IngestReport } from './workshop-service.js';

/**
 * What the workshops tell the edges (registry.ts emits, the realtime layer, the metrics and the
 * notifications listen): a workshop changed, an alert moved, a red alert was acknowledged, a
 * batch was ingested.
 */
export class WorkshopSignals {
  protected readonly changes = new Signal<string>();
  protected readonly alerts = new Signal<AlertMessage>();
  protected readonly acknowledged = new Signal<AcknowledgedAlert>();
  protected readonly ingests = new Signal<IngestReport>();

  onChange(listener: (workshopId: string) => void): void {
    this.changes.on(listener);
  }

  onAlert(listener: (alert: AlertMessage) => void): void {
    this.alerts.on(listener);
  }

  onAcknowledged(listener: (ack: AcknowledgedAlert) => void): void {
    this.acknowledged.on(listener);
  }

  onIngested(listener: (report: IngestReport) => void): void {
    this.ingests.on(listener);
  }
}
