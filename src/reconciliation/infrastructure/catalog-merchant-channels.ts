import type { ChannelName } from '@switch/alipay';
import { MerchantEntity } from '../../persistence/entities';
import type { MerchantCatalog } from '../../persistence/merchant-catalog';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { MerchantChannels } from '../application/orphan-debits';

/** Terminal id sent when no terminal of the switch made the payment (it was never stored). */
const NO_TERMINAL = 'RECON000';

/** Channels from the merchant catalog: the payment's merchant, or for an unknown payment the channel's first. */
export class CatalogMerchantChannels implements MerchantChannels {
  constructor(
    private readonly catalog: MerchantCatalog,
    private readonly uow: UnitOfWork,
  ) {}

  async find(channel: ChannelName, merchantId?: string, terminalId?: string) {
    const id =
      merchantId ??
      (
        await this.uow.read((m) =>
          m.findOne(MerchantEntity, { where: { channel }, order: { merchantId: 'ASC' } }),
        )
      )?.merchantId;
    if (id === undefined) return undefined;
    const route = await this.catalog.route(id, terminalId ?? NO_TERMINAL);
    return route ? { channel: route.channel, context: route.context } : undefined;
  }
}
