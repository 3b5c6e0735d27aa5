import { Injectable } from '@nestjs/common';

export interface TerminalSession {
  terminalId: string;
  signedOnAt: Date;
  connectionId: string;
}

/**
 * Which terminals are signed on, in memory of this process. In this version financial messages do not
 * require a sign-on: the registry is informational (ops visibility, future key exchange on 0800/001).
 */
@Injectable()
export class SessionRegistry {
  private readonly sessions = new Map<string, TerminalSession>();

  signOn(terminalId: string, connectionId: string, at: Date): TerminalSession {
    const session: TerminalSession = { terminalId, connectionId, signedOnAt: at };
    this.sessions.set(terminalId, session);
    return session;
  }

  /** True when the terminal was signed on. */
  signOff(terminalId: string): boolean {
    return this.sessions.delete(terminalId);
  }

  isSignedOn(terminalId: string): boolean {
    return this.sessions.has(terminalId);
  }

  get(terminalId: string): TerminalSession | undefined {
    return this.sessions.get(terminalId);
  }

  list(): TerminalSession[] {
    return [...this.sessions.values()];
  }
}
