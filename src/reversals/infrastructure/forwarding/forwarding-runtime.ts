/** What the reversals module starts and stops: the outbox relay and whatever works off its cancel orders. */
import type { OutboxRelay } from '../../application/outbox-relay';

export interface ForwardingRuntime {
  /** 'kafka' or 'in-process'. */
  readonly mode: string;
  readonly relay: OutboxRelay;
  /** Starts everything in the background; never waits for a broker. */
  start(): void;
  stop(): Promise<void>;
}

/** The kinds of outbox rows this module relays. */
export const RELAYED_KINDS: readonly string[] = ['CANCEL'];
