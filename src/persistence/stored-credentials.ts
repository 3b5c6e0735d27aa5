/** A merchant's endpoint value meaning "the Alipay sandbox this switch was configured with". */
export const SANDBOX_ENDPOINT = 'sandbox';

/** What a merchant row's sealed credentials hold, per Alipay API family. */
export type StoredCredentials =
  | {
      channel: 'ams';
      clientId: string;
      merchantPrivateKey: string;
      alipayPublicKey: string;
      keyVersion?: string;
      /** ISV mode: the merchant's own Alipay client id (authClientId); calls need its Agent-Token. */
      isvMerchantId?: string;
    }
  | {
      channel: 'openapi';
      appId: string;
      merchantPrivateKey: string;
      alipayPublicKey: string;
      signType?: 'RSA2' | 'RSA';
      /** ISV mode: the merchant's app (auth_app_id) that authorized ours; calls need its app_auth_token. */
      isvMerchantId?: string;
    }
  | {
      channel: 'mapi';
      partner: string;
      signType: 'MD5' | 'RSA' | 'RSA2';
      md5Key?: string;
      merchantPrivateKey?: string;
      alipayPublicKey?: string;
    };
