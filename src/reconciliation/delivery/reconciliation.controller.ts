import { BadRequestException, Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import type { ChannelName } from '@switch/alipay';
import type { RunSummary } from '../application/reconciliation.service';
import { ReconciliationService } from '../application/reconciliation.service';
import type { StoredRun } from '../infrastructure/run-store';

const CHANNELS: readonly ChannelName[] = ['ams', 'openapi', 'mapi'];

/**
 * Runs on demand (what `npm run reconcile` calls) and the list of runs. The run happens in the switch
 * process, which owns the database (the embedded SQLite file has one writer) and, in the demo, the sandbox.
 */
@Controller('reconciliation')
export class ReconciliationController {
  constructor(@Inject(ReconciliationService) private readonly service: ReconciliationService) {}

  @Post('runs')
  async run(@Body() body: { date?: unknown; channel?: unknown }): Promise<RunSummary[]> {
    const day =
      typeof body?.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.date) ? body.date : undefined;
    if (!day || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw new BadRequestException('date must be yyyy-MM-dd');
    if (body.channel !== undefined && !CHANNELS.includes(body.channel as ChannelName))
      throw new BadRequestException('channel must be ams, openapi or mapi');
    const channels = body.channel !== undefined ? [body.channel as ChannelName] : CHANNELS;
    const out: RunSummary[] = [];
    for (const channel of channels) out.push(await this.service.reconcile(channel, day));
    return out;
  }

  @Get('runs')
  list(@Query('channel') channel?: string, @Query('day') day?: string): Promise<StoredRun[]> {
    return this.service.listRuns({
      ...(channel && CHANNELS.includes(channel as ChannelName) ? { channel: channel as ChannelName } : {}),
      ...(day ? { day } : {}),
    });
  }
}
