import type { RefusalReason } from './refusal-log';

export interface SourceAdmissionLimits {
  maxConnections: number;
  maxConnectionsPerSource: number;
}

/**
 * Connections held per source address, so one host cannot take every connection of the process. Counted
 * at accept and released when the connection closes.
 */
export class SourceAdmission {
  private readonly perSource = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: SourceAdmissionLimits) {}

  /** Takes a slot for `remote`, or says why not. */
  admit(remote: string): RefusalReason | undefined {
    if (this.total >= this.limits.maxConnections) return 'connection-limit';
    const held = this.perSource.get(remote) ?? 0;
    if (held >= this.limits.maxConnectionsPerSource) return 'source-limit';
    this.perSource.set(remote, held + 1);
    this.total += 1;
    return undefined;
  }

  release(remote: string): void {
    const held = this.perSource.get(remote) ?? 0;
    if (held <= 1) this.perSource.delete(remote);
    else this.perSource.set(remote, held - 1);
    this.total = Math.max(0, this.total - 1);
  }
}
