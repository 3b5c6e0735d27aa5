import { AmsChannel } from './ams/ams.client';
import type { WalletChannel } from './channel.port';
import { AmsConfig, ChannelConfigError, MapiConfig, OpenapiConfig } from './config';
import { MapiChannel } from './mapi/mapi.client';
import { OpenapiChannel } from './openapi/openapi.client';

/** Builds the adapter for a configuration. Keys are parsed here, so a bad key fails at start-up, not mid-payment. */
export function createChannel(config: AmsConfig): AmsChannel;
export function createChannel(config: OpenapiConfig): OpenapiChannel;
export function createChannel(config: MapiConfig): MapiChannel;
export function createChannel(config: AmsConfig | OpenapiConfig | MapiConfig): WalletChannel;
export function createChannel(config: AmsConfig | OpenapiConfig | MapiConfig): WalletChannel {
  if (!(config.timeoutMs > 0)) throw new ChannelConfigError('timeoutMs must be positive');
  switch (config.channel) {
    case 'ams':
      return new AmsChannel(config);
    case 'openapi':
      return new OpenapiChannel(config);
    case 'mapi':
      return new MapiChannel(config);
    default: {
      const never: never = config;
      throw new ChannelConfigError(`unknown channel ${JSON.stringify((never as { channel?: unknown }).channel)}`);
    }
  }
}
