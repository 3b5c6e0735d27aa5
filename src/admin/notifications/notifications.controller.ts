import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { ChannelName } from '@switch/alipay';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { IsvTokens } from '../../notifications/isv/isv-tokens';
import { NotificationLog, type LoggedNotification } from '../../notifications/notification-log';
import { AuditTrail } from '../audit/audit-trail';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageByDescendingId, type Page } from '../http/paging';
import { notFound } from '../http/problem';
import type { AdminActor } from '../keys/roles';

const CHANNELS: readonly ChannelName[] = ['ams', 'openapi', 'mapi'];

class NotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: ChannelName;
  @ApiPropertyOptional({ example: 'applied', description: 'What the switch did with it' })
  @IsOptional()
  @IsString()
  outcome?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() paymentRequestId?: string;
}

/** What Alipay pushed: verification, duplicates, the reply given; payloads stored with secrets masked. */
@AdminController('notifications', 'Notifications')
export class NotificationsController {
  constructor(@Inject(NotificationLog) private readonly log: NotificationLog) {}

  @Get()
  @AdminRoute({
    role: 'viewer',
    summary: 'List Alipay notifications, newest first',
    description: 'Verification result, duplicates, the reply given; payloads with secrets masked.',
  })
  async list(@Query() q: NotificationsQueryDto): Promise<Page<LoggedNotification>> {
    return pageByDescendingId(q, (window) =>
      this.log.list({
        channel: q.channel,
        outcome: q.outcome,
        paymentRequestId: q.paymentRequestId,
        ...window,
      }),
    );
  }
}

/** The ISV authorization behind a merchant (Open Platform app authorization, AMS agent token): never the token. */
@AdminController('merchants', 'Merchants')
export class IsvTokensController {
  constructor(
    @Inject(IsvTokens) private readonly tokens: IsvTokens,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
  ) {}

  @Get(':merchantId/isv-token')
  @AdminRoute({
    role: 'viewer',
    errors: [404],
    summary: 'The merchant’s ISV authorization (never the token)',
  })
  async token(@Param('merchantId') merchantId: string) {
    const authorization = await this.tokens.status(merchantId);
    if (!authorization) throw notFound(`merchant ${merchantId} has no ISV authorization`);
    return view(authorization);
  }

  @Post(':merchantId/isv-token/refresh')
  @HttpCode(200)
  @AdminRoute({
    role: 'admin',
    write: true,
    errors: [404],
    summary: 'Refresh the merchant’s ISV token now',
    description:
      'Open Platform tokens with a refresh token; `refreshed: false` when there is nothing to refresh with.',
  })
  async refresh(
    @Param('merchantId') merchantId: string,
    @Body() _body: ReasonDto,
    @Actor() actor: AdminActor,
  ) {
    const before = await this.tokens.status(merchantId);
    if (!before) throw notFound(`merchant ${merchantId} has no ISV authorization`);
    const refreshed = await this.tokens.refresh(merchantId);
    const after = await this.tokens.status(merchantId);
    await this.audit.record(actor, {
      action: 'merchant.isv-token.refresh',
      targetType: 'merchant',
      targetId: merchantId,
      before: view(before),
      after: after ? view(after) : undefined,
      outcome: refreshed ? 'ok' : 'nothing to refresh with',
    });
    return { refreshed, authorization: after ? view(after) : null };
  }
}

function view(a: {
  channel: string;
  status: string;
  authTime: number;
  expiresAt?: Date;
  hasRefreshToken: boolean;
  userId?: string;
}) {
  return {
    channel: a.channel,
    status: a.status,
    authorizedAt: new Date(a.authTime).toISOString(),
    expiresAt: a.expiresAt?.toISOString() ?? null,
    hasRefreshToken: a.hasRefreshToken,
    ...(a.userId ? { alipayUserId: a.userId } : {}),
  };
}
