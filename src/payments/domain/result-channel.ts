/**
 * How a payment's merchant learns its result. A terminal waits for the reply: an approval it was not
 * written is undelivered and is cancelled at the gateway timeout. Some channels learn the result later,
 * by reading it or by a push, so an approval that arrives after a reply (or a restart) still reaches them:
 * the API clients' virtual terminals (REST payments: GET and webhook) and the in-app ordering point (the
 * customer sees it in the Alipay app, the merchant by GET or webhook).
 */

/** The prefix of an API client's virtual terminal id: 'API' and five characters (src/merchant-api/clients). */
export const VIRTUAL_API_TERMINAL_PREFIX = 'API';
const VIRTUAL_API_TERMINAL = new RegExp(`^${VIRTUAL_API_TERMINAL_PREFIX}[0-9A-Z]{5}$`);

/** An id of this form is an API client's; the admin API refuses it for a terminal. */
export function isVirtualApiTerminalId(terminalId: string): boolean {
  return VIRTUAL_API_TERMINAL.test(terminalId);
}

export function learnsResultsLater(terminalId: string, inAppTerminalId?: string): boolean {
  return terminalId === inAppTerminalId || isVirtualApiTerminalId(terminalId);
}
