/** Errors of the terminal gateway. Expected outcomes (a refused terminal, a bad MAC) are replies, not errors. */

export class TerminalListenerConfigError extends Error {
  readonly code = 'TERMINAL.LISTENER_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(`invalid ISO listener options: ${problems.join('; ')}`);
    this.name = 'TerminalListenerConfigError';
  }
}

export class TerminalListenerStateError extends Error {
  readonly code = 'TERMINAL.LISTENER_STATE';
  constructor(message: string) {
    super(message);
    this.name = 'TerminalListenerStateError';
  }
}

/** A handler resolved without an IsoMessage reply; the transport answers 96 instead. */
export class HandlerReplyMissingError extends Error {
  readonly code = 'TERMINAL.HANDLER_REPLY_MISSING';
  constructor(readonly pattern: string) {
    super(`handler for ${pattern} completed without an IsoMessage reply`);
    this.name = 'HandlerReplyMissingError';
  }
}

/** A terminal's allow-list of source networks that does not parse. */
export class SourceNetworksError extends Error {
  readonly code = 'TERMINAL.SOURCE_NETWORKS';
  constructor(entry: string, reason: string) {
    super(`source network "${entry}": ${reason}`);
    this.name = 'SourceNetworksError';
  }
}
