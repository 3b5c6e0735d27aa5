/**
 * Connected terminals, read from the running ISO listener (bootstrap attaches it once it exists) and the
 * sign-on registry, with the instance that holds each link. With several instances on one MySQL database
 * the others' sessions come from the `terminal_sessions` table (SessionBoard), where each instance writes
 * its own every few seconds; this instance's own are read live.
 */
import type { IsoConnectionInfo } from '../../terminal/iso-connection';
import type { SessionRegistry } from '../../terminal/session-registry';
import type { AuditTrail } from '../audit/audit-trail';
import { decodeCursor, type Page, pageOf } from '../http/paging';
import { notFound } from '../http/problem';
import type { AdminActor } from '../keys/roles';
import { dropUndefined } from '../transactions/transaction-views';
import { nextTurn, type BoardSession, type SessionBoard } from './session-board';

/** What the ISO listener offers (IsoServerStrategy). */
export interface IsoLinks {
  /** The open links, each read only when asked (the board reads thousands a slice at a time). */
  openLinks(): ReadonlyArray<{ readonly info: IsoConnectionInfo }>;
  disconnectTerminal(terminalId: string, reason: string): number;
}

type Positioned = BoardSession & { position: readonly [string, string] };

const LINKS_PER_TURN = 500;

export class LiveSessions {
  private links: IsoLinks | undefined;

  constructor(
    private readonly signOns: SessionRegistry,
    private readonly audit: AuditTrail,
    private readonly instanceId: string,
    private readonly board?: SessionBoard,
    private readonly onBoardError: (err: unknown) => void = () => undefined,
  ) {}

  attach(links: IsoLinks): void {
    this.links = links;
    this.board?.start(() => this.localInSlices(), this.onBoardError);
  }

  /**
   * Links a terminal has spoken on, of every live instance, by terminal id (then instance and connection
   * id); links nobody has used yet are left out.
   */
  async list(limit: number, cursor: unknown): Promise<Page<object>> {
    const after = decodeCursor(cursor, 2);
    // In slices, as the board reads them: an operator's list must not hold up thousands of terminals either.
    const sessions = [...(await this.localInSlices()), ...((await this.board?.others()) ?? [])]
      .map((s): Positioned => ({ ...s, position: [s.terminalId, `${s.instanceId}/${s.connectionId}`] as const }))
      .sort((a, b) => compare(a.position, b.position))
      .filter((s) => !after || compare(s.position, [after[0], after[1]]) > 0);
    return pageOf(sessions.slice(0, limit + 1), limit, (s) => view(s), (s) => s.position);
  }

  /** Closes the terminal's links at this instance (an instance closes only its own sockets). */
  async disconnect(terminalId: string, actor: AdminActor) {
    const before = this.local()
      .filter((s) => s.terminalId === terminalId)
      .map(view);
    if (before.length === 0) throw notFound(`terminal ${terminalId} is not connected to this instance`);
    const closed = this.links?.disconnectTerminal(terminalId, `disconnected by ${actor.name} (admin API)`) ?? 0;
    this.signOns.signOff(terminalId);
    await this.audit.record(actor, { action: 'session.disconnect', targetType: 'terminal', targetId: terminalId, before: { sessions: before }, after: { closed } });
    return { terminalId, closed };
  }

  /** A clean stop takes this instance's rows off the board. */
  async onModuleDestroy(): Promise<void> {
    await this.board?.stop().catch(this.onBoardError);
  }

  private local(): BoardSession[] {
    const sessions: BoardSession[] = [];
    for (const link of this.links?.openLinks() ?? []) this.addSession(sessions, link.info);
    return sessions;
  }

  /**
   * The same, a slice of links per event-loop turn: an instance holds thousands of terminals, and reading
   * them all in one go every few seconds held up their messages (bench:sessions).
   */
  private async localInSlices(): Promise<BoardSession[]> {
    const links = this.links?.openLinks() ?? [];
    const sessions: BoardSession[] = [];
    for (let i = 0; i < links.length; i += LINKS_PER_TURN) {
      if (i > 0) await nextTurn();
      for (const link of links.slice(i, i + LINKS_PER_TURN)) this.addSession(sessions, link.info);
    }
    return sessions;
  }

  /** A link a terminal has spoken on, as a session; links nobody has used yet are left out. */
  private addSession(sessions: BoardSession[], c: IsoConnectionInfo): void {
    if (c.terminalId === undefined) return;
    const signOn = this.signOns.get(c.terminalId);
    const signedOn = signOn?.connectionId === c.connectionId;
    sessions.push({
      instanceId: this.instanceId,
      connectionId: c.connectionId,
      terminalId: c.terminalId,
      ...(c.merchantId !== undefined ? { merchantId: c.merchantId } : {}),
      dialect: c.dialect,
      remoteAddress: c.remoteAddress,
      connectedAt: c.connectedAt.toISOString(),
      lastSeenAt: (c.lastMessageAt ?? c.connectedAt).toISOString(),
      signedOn,
      ...(signedOn && signOn ? { signedOnAt: signOn.signedOnAt.toISOString() } : {}),
    });
  }
}

function view(s: BoardSession) {
  return dropUndefined({
    instanceId: s.instanceId,
    terminalId: s.terminalId,
    merchantId: s.merchantId,
    dialect: s.dialect,
    remoteAddress: s.remoteAddress,
    connectionId: s.connectionId,
    signedOn: s.signedOn,
    signedOnAt: s.signedOnAt,
    connectedSince: s.connectedAt,
    lastMessageAt: s.lastSeenAt,
  });
}

function compare(a: readonly string[], b: readonly string[]): number {
  return a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0].localeCompare(b[0]);
}
