import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { WebhookDeliveries, type DeliveryView } from '../../merchant-api/webhooks/webhook-deliveries';
import { WebhookDispatcher } from '../../merchant-api/webhooks/webhook-dispatcher';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { UNIT_OF_WORK } from '../../persistence/persistence.tokens';
import { AuditTrail } from '../audit/audit-trail';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageByDescendingId, type Page } from '../http/paging';
import { notFound } from '../http/problem';
import type { AdminActor } from '../keys/roles';

const STATUSES = ['pending', 'delivered', 'gave-up'];

class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'Merchant API client id' }) @IsOptional() @IsString() clientId?: string;
  @ApiPropertyOptional({ description: 'Payment or refund id' }) @IsOptional() @IsString() targetId?: string;
}

/** Webhooks pushed to merchants (/pay/v1 results): each delivery with every attempt. */
@AdminController('webhook-deliveries', 'Webhook deliveries')
export class WebhookDeliveriesController {
  constructor(
    @Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'List webhook deliveries, newest first', description: 'Status, body and every attempt (time, HTTP status or error).' })
  list(@Query() q: DeliveriesQueryDto): Promise<Page<DeliveryView>> {
    return pageByDescendingId(q, (window) => this.deliveries.list({ status: q.status, clientId: q.clientId, targetId: q.targetId }, window));
  }

  @Post(':id/resend')
  @HttpCode(202)
  @AdminRoute({
    role: 'operator',
    write: true,
    errors: [404],
    summary: 'Send a webhook delivery again',
    description: 'One attempt at once (then the backoff schedule from its start until a 2xx), whatever its status.',
  })
  async resend(@Param('id') id: string, @Body() _body: ReasonDto, @Actor() actor: AdminActor): Promise<DeliveryView> {
    const changed = await this.uow.run(async (m) => {
      const result = await this.deliveries.resend(m, id, new Date());
      if (!result) throw notFound(`no webhook delivery ${id}`);
      const summary = (v: DeliveryView) => ({ status: v.status, attempts: v.attempts, nextAttemptAt: v.nextAttemptAt });
      await this.audit.append(m, actor, { action: 'webhook-delivery.resend', targetType: 'webhook-delivery', targetId: id, before: summary(result.before), after: summary(result.after) });
      return result.after;
    });
    this.dispatcher.wake();
    return changed;
  }
}
