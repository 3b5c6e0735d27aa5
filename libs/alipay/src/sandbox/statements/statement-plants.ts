import type { SandboxProtocol } from '../protocol';

/**
 * Discrepancies planted in the files only (the ledger keeps the truth): an amount written differently, a
 * line left out, a refund written with another amount, an AMS settlement summary whose TOTAL is off. Keyed per protocol, as the ledger is.
 */
export class StatementPlants {
  private readonly amounts = new Map<string, number>();
  private readonly dropped = new Set<string>();
  private readonly refundAmounts = new Map<string, number>();
  private readonly settlementSkews = new Map<string, number>();

  setAmount(protocol: SandboxProtocol, id: string, amountMinor: number): void {
    this.amounts.set(key(protocol, id), amountMinor);
  }

  drop(protocol: SandboxProtocol, id: string): void {
    this.dropped.add(key(protocol, id));
  }

  setRefundAmount(protocol: SandboxProtocol, refundRequestId: string, amountMinor: number): void {
    this.refundAmounts.set(key(protocol, refundRequestId), amountMinor);
  }

  amountOf(protocol: SandboxProtocol, id: string, actual: number): number {
    return this.amounts.get(key(protocol, id)) ?? actual;
  }

  isDropped(protocol: SandboxProtocol, id: string): boolean {
    return this.dropped.has(key(protocol, id));
  }

  refundAmountOf(protocol: SandboxProtocol, refundRequestId: string, actual: number): number {
    return this.refundAmounts.get(key(protocol, refundRequestId)) ?? actual;
  }

  /** AMS: the settlement summary TOTAL of `day` written `skewMinor` off the items' sum. */
  setSettlementSkew(day: string, skewMinor: number): void {
    this.settlementSkews.set(day, skewMinor);
  }

  settlementSkewOf(day: string): number {
    return this.settlementSkews.get(day) ?? 0;
  }

  clear(): void {
    this.settlementSkews.clear();
    this.amounts.clear();
    this.dropped.clear();
    this.refundAmounts.clear();
  }
}

const key = (protocol: SandboxProtocol, id: string): string => `${protocol}\u0000${id}`;
