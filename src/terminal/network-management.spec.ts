import { Field, IsoMessage } from '@switch/iso8583';
import type { IsoRequest } from './iso-request';
import { handleNetworkManagement } from './network-management';
import { SessionRegistry } from './session-registry';

function request(code: string | undefined, withDateTime = true): IsoRequest {
  const message = new IsoMessage('0800', { [Field.Stan]: '000042', [Field.TerminalId]: 'TERM0001' });
  if (code !== undefined) message.set(Field.NetworkManagementCode, code);
  if (withDateTime) message.set(7, '0102030405');
  return {
    message,
    terminal: { terminalId: 'TERM0001', merchantId: 'M1', dialect: 'ascii', status: 'active', merchantTimeoutMs: 1000 },
    dialect: 'ascii',
    receivedAt: new Date('2025-01-02T03:04:05Z'),
    deadlineAt: Date.parse('2025-01-02T03:04:06Z'),
    repeat: false,
    connectionId: 'c-1',
    delivery: Promise.resolve(true),
  };
}

describe('handleNetworkManagement', () => {
  it('signs a terminal on and off, answering 0810/00 with 7, 11, 41, 70 echoed', () => {
    const sessions = new SessionRegistry();
    const on = handleNetworkManagement(request('001'), sessions);
    expect(on.mti).toBe('0810');
    expect(on.fieldNumbers()).toEqual([7, 11, 39, 41, 70]);
    expect([on.get(7), on.get(Field.Stan), on.get(Field.ResponseCode), on.get(Field.TerminalId), on.get(Field.NetworkManagementCode)]).toEqual([
      '0102030405',
      '000042',
      '00',
      'TERM0001',
      '001',
    ]);
    expect(sessions.get('TERM0001')?.connectionId).toBe('c-1');
    expect(handleNetworkManagement(request('002'), sessions).get(Field.ResponseCode)).toBe('00');
    expect(sessions.isSignedOn('TERM0001')).toBe(false);
  });

  it('answers an echo without touching sessions, and without 7 when the request had none', () => {
    const sessions = new SessionRegistry();
    const reply = handleNetworkManagement(request('301', false), sessions);
    expect(reply.get(Field.ResponseCode)).toBe('00');
    expect(reply.has(7)).toBe(false);
    expect(sessions.list()).toEqual([]);
  });

  it.each([['999'], [undefined]])('answers 12 to field 70 = %s', (code) => {
    const reply = handleNetworkManagement(request(code), new SessionRegistry());
    expect(reply.get(Field.ResponseCode)).toBe('12');
  });
});
