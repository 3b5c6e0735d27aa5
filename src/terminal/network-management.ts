import { Field, IsoMessage } from '@switch/iso8583';
import type { IsoRequest } from './iso-request';
import { ResponseCode, replyMti } from './iso-reply';
import type { SessionRegistry } from './session-registry';

/** Field 70 values this switch understands. */
export const NetworkManagementCode = {
  SignOn: '001',
  SignOff: '002',
  Echo: '301',
} as const;

/** Fields an 0810 carries back from the 0800: transmission date/time, STAN, terminal, management code. */
const ECHOED: readonly number[] = [Field.TransmissionDateTime, Field.Stan, Field.TerminalId, Field.NetworkManagementCode];

/** Answers an 0800: 39 = 00 for sign-on, sign-off and echo; 12 for any other field 70. */
export function handleNetworkManagement(request: IsoRequest, sessions: SessionRegistry): IsoMessage {
  const code = request.message.get(Field.NetworkManagementCode);
  const terminalId = request.terminal.terminalId;
  let responseCode: string = ResponseCode.Approved;
  switch (code) {
    case NetworkManagementCode.SignOn:
      sessions.signOn(terminalId, request.connectionId, request.receivedAt);
      break;
    case NetworkManagementCode.SignOff:
      sessions.signOff(terminalId);
      break;
    case NetworkManagementCode.Echo:
      break;
    case undefined:
    default:
      responseCode = ResponseCode.InvalidTransaction;
  }
  const reply = new IsoMessage(replyMti(request.message.mti));
  for (const field of ECHOED) {
    const value = request.message.get(field);
    if (value !== undefined) reply.set(field, value);
  }
  return reply.set(Field.ResponseCode, responseCode);
}
