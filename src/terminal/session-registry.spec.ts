import { SessionRegistry } from './session-registry';

describe('SessionRegistry', () => {
  it('tracks sign-on and sign-off per terminal', () => {
    const sessions = new SessionRegistry();
    const at = new Date('2025-01-02T03:04:05Z');
    expect(sessions.isSignedOn('TERM0001')).toBe(false);
    sessions.signOn('TERM0001', 'c-1', at);
    expect(sessions.get('TERM0001')).toEqual({ terminalId: 'TERM0001', connectionId: 'c-1', signedOnAt: at });
    expect(sessions.list()).toHaveLength(1);
    expect(sessions.signOff('TERM0001')).toBe(true);
    expect(sessions.signOff('TERM0001')).toBe(false);
    expect(sessions.isSignedOn('TERM0001')).toBe(false);
  });
});
