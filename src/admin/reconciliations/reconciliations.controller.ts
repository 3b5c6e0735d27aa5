import { BadRequestException, Body, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ChannelName } from '@switch/alipay';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  ReconciliationService,
  type RunSummary,
} from '../../reconciliation/application/reconciliation.service';
import { FILE_KINDS, fileKindsOf, type FileKind } from '../../reconciliation/domain/file-kind';
import type { StoredRun } from '../../reconciliation/infrastructure/run-store';
import { AuditTrail } from '../audit/audit-trail';
import { Actor } from '../http/actor.decorator';
import type { AdminActor } from '../keys/roles';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageByDescendingId, type Page } from '../http/paging';

const CHANNELS: readonly ChannelName[] = ['ams', 'openapi', 'mapi'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

class ReconcileDto extends ReasonDto {
  @ApiProperty({ example: '2026-12-04', description: "The channel's file day (its own time zone)" })
  @Matches(DAY)
  date!: string;

  @ApiPropertyOptional({ enum: CHANNELS, description: 'One channel; all three when absent' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: ChannelName;

  @ApiPropertyOptional({
    enum: FILE_KINDS,
    description: "One kind of file (settlement: AMS only); every kind of each channel's files when absent",
  })
  @IsOptional()
  @IsIn(FILE_KINDS)
  files?: FileKind;
}

class RunsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: ChannelName;
  @ApiPropertyOptional({ example: '2026-12-04' }) @IsOptional() @Matches(DAY) day?: string;
}

/**
 * Reconciliation with Alipay's files, on demand (what `npm run reconcile` calls) and the runs stored.
 * A run can give money back (orphan debits are cancelled or refunded), so it is an operator's audited write.
 */
@AdminController('reconciliations', 'Reconciliation')
export class ReconciliationsController {
  constructor(
    @Inject(ReconciliationService) private readonly service: ReconciliationService,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
  ) {}

  @Post()
  @HttpCode(200)
  @AdminRoute({
    role: 'operator',
    write: true,
    summary: 'Reconcile a day with Alipay’s files',
    description:
      'Per channel: fetch the file, match every line, give back orphan debits, list the rest as interventions. A repeat for the same day changes nothing new.',
  })
  async run(@Body() body: ReconcileDto, @Actor() actor: AdminActor): Promise<RunSummary[]> {
    const channels = body.channel ? [body.channel] : CHANNELS;
    const plan = channels.flatMap((channel) =>
      fileKindsOf(channel)
        .filter((kind) => body.files === undefined || kind === body.files)
        .map((kind) => ({ channel, kind })),
    );
    if (plan.length === 0)
      throw new BadRequestException(`${body.channel ?? 'no channel'} has no ${body.files ?? ''} files`);
    const runs: RunSummary[] = [];
    for (const { channel, kind } of plan) {
      const summary = await this.service.reconcile(channel, body.date, kind);
      runs.push(summary);
      await this.audit.record(actor, {
        action: 'reconciliation.run',
        targetType: 'reconciliation',
        targetId: `${channel}:${body.date}${kind === 'transactions' ? '' : `:${kind}`}`,
        after: {
          outcome: summary.outcome,
          linesRead: summary.linesRead,
          differencesNew: summary.differencesNew,
          orphansFixed: summary.orphansFixed,
        },
      });
    }
    return runs;
  }

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'List reconciliation runs, newest first' })
  async list(@Query() q: RunsQueryDto): Promise<Page<StoredRun>> {
    return pageByDescendingId(q, (window) =>
      this.service.listRuns({ channel: q.channel, day: q.day, ...window }),
    );
  }
}
