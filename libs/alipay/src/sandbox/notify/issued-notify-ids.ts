/**
 * Notify ids the sandbox has sent, so MAPI's notify_verify can tell a real notification from a forged
 * one. An id stays valid for the whole retry series (Alipay keeps one notify_id across resends).
 */
export class IssuedNotifyIds {
  private readonly partners = new Map<string, string>();

  issue(notifyId: string, partner: string): void {
    this.partners.set(notifyId, partner);
  }

  /** MAPI's answers: "true" (sent by us to this partner), "invalid" (partner unknown), "false" otherwise. */
  verify(
    partner: string | undefined,
    notifyId: string | undefined,
    knownPartner: string,
  ): 'true' | 'false' | 'invalid' {
    if (partner !== knownPartner) return 'invalid';
    return notifyId !== undefined && this.partners.get(notifyId) === partner ? 'true' : 'false';
  }

  clear(): void {
    this.partners.clear();
  }
}
