/**
 * Connected terminals, read from the running ISO listener (bootstrap attaches it once it exists) and the
 * sign-on registry. In memory of this process: with several instances each shows its own links.
 */
import type { IsoConnectionInfo } from '../../terminal/iso-connection';
import type { SessionRegistry } from '../../terminal/session-registry';
import type { AuditTrail } from '../audit/audit-trail';
import { decodeCursor, type Page, pageOf } from '../http/paging';
import { notFound } from '../http/problem';
import type { AdminActor } from '../keys/roles';
import { dropUndefined } from '../transactions/transaction-views';

/** What the ISO listener offers (IsoServerStrategy). */
export interface IsoLinks {
  connectionInfos(): IsoConnectionInfo[];
  disconnectTerminal(terminalId: string, reason: string): number;
}

export class LiveSessions {
  private links: IsoLinks | undefined;

  constructor(
    private readonly signOns: SessionRegistry,
    private readonly audit: AuditTrail,
  ) {}

  attach(links: IsoLinks): void {
    this.links = links;
  }

  /** Links a terminal has spoken on, by terminal id (then connection id); links nobody has used yet are left out. */
  list(limit: number, cursor: unknown): Page<object> {
    const after = decodeCursor(cursor, 2);
    const sessions = (this.links?.connectionInfos() ?? [])
      .filter((c): c is IsoConnectionInfo & { terminalId: string } => c.terminalId !== undefined)
      .map((c) => ({ ...c, position: [c.terminalId, c.connectionId] as const }))
      .sort((a, b) => compare(a.position, b.position))
      .filter((c) => !after || compare(c.position, [after[0], after[1]]) > 0);
    return pageOf(sessions.slice(0, limit + 1), limit, (c) => this.view(c), (c) => c.position);
  }

  async disconnect(terminalId: string, actor: AdminActor) {
    const before = this.list(1_000, undefined).items.filter((s) => (s as { terminalId: string }).terminalId === terminalId);
    if (before.length === 0) throw notFound(`terminal ${terminalId} is not connected`);
    const closed = this.links?.disconnectTerminal(terminalId, `disconnected by ${actor.name} (admin API)`) ?? 0;
    this.signOns.signOff(terminalId);
    await this.audit.record(actor, { action: 'session.disconnect', targetType: 'terminal', targetId: terminalId, before: { sessions: before }, after: { closed } });
    return { terminalId, closed };
  }

  private view(c: IsoConnectionInfo & { terminalId: string }) {
    const signOn = this.signOns.get(c.terminalId);
    return dropUndefined({
      terminalId: c.terminalId,
      merchantId: c.merchantId,
      dialect: c.dialect,
      remoteAddress: c.remoteAddress,
      connectionId: c.connectionId,
      signedOn: signOn?.connectionId === c.connectionId,
      signedOnAt: signOn?.connectionId === c.connectionId ? signOn.signedOnAt.toISOString() : undefined,
      connectedSince: c.connectedAt.toISOString(),
      lastMessageAt: c.lastMessageAt?.toISOString(),
    });
  }
}

function compare(a: readonly string[], b: readonly string[]): number {
  return a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0].localeCompare(b[0]);
}
