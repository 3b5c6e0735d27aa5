import { DEFAULT_ISO_LISTENER_OPTIONS, resolveIsoListenerOptions } from './iso-listener.options';
import { TerminalListenerConfigError } from './terminal.errors';

describe('resolveIsoListenerOptions', () => {
  const listeners = [{ dialect: 'ascii' as const, host: '127.0.0.1', port: 0 }];

  it('fills the defaults', () => {
    expect(resolveIsoListenerOptions({ listeners })).toEqual({ ...DEFAULT_ISO_LISTENER_OPTIONS, listeners });
    expect(DEFAULT_ISO_LISTENER_OPTIONS.maxFrameBytes).toBe(4096);
  });

  it('keeps explicit values and ignores undefined ones', () => {
    const resolved = resolveIsoListenerOptions({ listeners, idleTimeoutMs: 50, maxConnections: undefined });
    expect(resolved.idleTimeoutMs).toBe(50);
    expect(resolved.maxConnections).toBe(DEFAULT_ISO_LISTENER_OPTIONS.maxConnections);
  });

  it('lists every bad value in one error', () => {
    let caught: unknown;
    try {
      resolveIsoListenerOptions({
        listeners: [{ dialect: 'ebcdic' as never, host: '', port: 70000 }],
        maxFrameBytes: 10,
        maxInFlightPerConnection: 0,
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TerminalListenerConfigError);
    const problems = (caught as TerminalListenerConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/dialect[\s\S]*port[\s\S]*host[\s\S]*maxFrameBytes[\s\S]*maxInFlightPerConnection/);
  });

  it('requires at least one listener', () => {
    expect(() => resolveIsoListenerOptions({ listeners: [] })).toThrow(TerminalListenerConfigError);
  });
});
