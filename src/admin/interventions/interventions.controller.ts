import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageLimit } from '../http/paging';
import type { AdminActor } from '../keys/roles';
import { Interventions, RESOLUTIONS, type InterventionStatus, type Resolution } from './interventions.service';

const STATUSES: InterventionStatus[] = ['open', 'resolved', 'all'];

class InterventionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, default: 'open' }) @IsOptional() @IsIn(STATUSES) status?: InterventionStatus;
}

class ResolveDto extends ReasonDto {
  @ApiProperty({ enum: RESOLUTIONS, description: 'cancelled: Alipay holds nothing (checked by an inquiry first; 409 if it does); dismissed: no payment waits on the entry' })
  @IsIn(RESOLUTIONS)
  resolution!: Resolution;

  @ApiProperty({ description: 'What was found and done', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  note!: string;
}

@AdminController('interventions', 'Manual interventions')
export class InterventionsController {
  constructor(@Inject(Interventions) private readonly interventions: Interventions) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'List manual interventions (default: open ones)' })
  list(@Query() q: InterventionQueryDto) {
    return this.interventions.list(q.status ?? 'open', pageLimit(q.limit), q.cursor);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @AdminRoute({
    role: 'operator',
    write: true,
    errors: [404, 409],
    summary: 'Drive the cancel (or the refund) again',
    description:
      'A cancel entry: works once the job is dead: a fresh cancel order, a first attempt again; the entry closes and the worker opens a new one if this round fails too. ' +
      'A refund-unconfirmed entry: one refund call now with the refund’s own refundRequestId (Alipay refunds it at most once); the answer says refunded or declined (entry resolved) or still-unknown (entry stays open, its detail noting the latest attempt). ' +
      'Any other kind (reconciliation): 409.',
  })
  retry(@Param('id') id: string, @Body() _body: ReasonDto, @Actor() actor: AdminActor) {
    return this.interventions.retry(id, actor);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @AdminRoute({ role: 'admin', write: true, errors: [404, 409, 502], summary: 'Resolve an entry', description: 'Alipay is inquired first; a resolution it contradicts is refused with 409.' })
  resolve(@Param('id') id: string, @Body() body: ResolveDto, @Actor() actor: AdminActor) {
    return this.interventions.resolve(id, body.resolution, body.note, actor);
  }
}
