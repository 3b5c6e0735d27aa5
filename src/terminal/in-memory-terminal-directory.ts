import type { TerminalDirectory, TerminalRecord } from './terminal-directory.port';

/** A TerminalDirectory over a fixed list: for tests, benchmarks and the POS demo, never for production data. */
export class InMemoryTerminalDirectory implements TerminalDirectory {
  private readonly terminals = new Map<string, TerminalRecord>();

  constructor(terminals: Iterable<TerminalRecord> = []) {
    for (const terminal of terminals) this.put(terminal);
  }

  put(terminal: TerminalRecord): this {
    this.terminals.set(terminal.terminalId, terminal);
    return this;
  }

  async find(terminalId: string): Promise<TerminalRecord | undefined> {
    return this.terminals.get(terminalId);
  }
}
