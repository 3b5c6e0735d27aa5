import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from './post-webhook';
import { isPrivateAddress, WebhookTargets } from './webhook-targets';

describe('webhook targets', () => {
  it('count loopback, private, link-local, shared, multicast and reserved addresses as private, in both families', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', 'not-an-address']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '203.0.114.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
    }
  });

  it('refuse a literal private address and hosts off the allow-list before connecting', () => {
    const closed = new WebhookTargets({ allowPrivate: false, allowedHosts: ['hooks.example.com', '.merchant.example'] });
    expect(closed.refusal(new URL('https://hooks.example.com/a'))).toBeUndefined();
    expect(closed.refusal(new URL('https://pos.merchant.example/a'))).toBeUndefined();
    expect(closed.refusal(new URL('https://merchant.example.evil.com/a'))).toMatch(/not in PAY_API_WEBHOOK_ALLOWED_HOSTS/);
    const open = new WebhookTargets({ allowPrivate: false });
    expect(open.refusal(new URL('http://169.254.169.254/latest/meta-data'))).toMatch(/169\.254\.169\.254 is loopback, private or reserved/);
    expect(open.refusal(new URL('http://[::1]:8080/'))).toMatch(/::1 is loopback/);
    expect(open.refusal(new URL('https://8.8.8.8/hook'))).toBeUndefined();
    expect(new WebhookTargets({ allowPrivate: true }).refusal(new URL('http://127.0.0.1/'))).toBeUndefined();
  });

  it('refuse a name that resolves to a private address where the socket connects, and reach it when allowed', async () => {
    let posts = 0;
    const server = http.createServer((req, res) => {
      posts += 1;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://localhost:${(server.address() as AddressInfo).port}/hooks`);
    try {
      const refused = await postWebhook(url, {}, '{}', 2_000, new WebhookTargets({ allowPrivate: false })).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(/webhook address (127\.0\.0\.1|::1) is loopback, private or reserved/);
      expect(posts).toBe(0);
      expect(await postWebhook(url, { 'content-type': 'application/json' }, '{}', 2_000, new WebhookTargets({ allowPrivate: true }))).toBe(204);
      expect(posts).toBe(1);
    } finally {
      server.close();
    }
  });
});
