import { Body, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { PAYMENT_STATES } from '../../payments/domain/payment';
import { Actor } from '../http/actor.decorator';
import { AdminController, AdminRoute } from '../http/admin-route.decorator';
import { PageQueryDto, ReasonDto } from '../http/dto';
import { pageLimit } from '../http/paging';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import type { AdminActor } from '../keys/roles';
import { TransactionActions } from './transaction-actions';
import { TransactionQuery } from './transaction-query';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

class TransactionQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() terminalId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() merchantId?: string;
  @ApiPropertyOptional({ enum: ['ams', 'openapi', 'mapi'] }) @IsOptional() @IsIn(['ams', 'openapi', 'mapi']) channel?: string;
  @ApiPropertyOptional({ enum: PAYMENT_STATES }) @IsOptional() @IsIn(PAYMENT_STATES) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() rrn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() stan?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() paymentRequestId?: string;
  @ApiPropertyOptional({ description: "Alipay's transaction id" }) @IsOptional() @IsString() alipayTransactionId?: string;
  @ApiPropertyOptional({ description: 'Smallest amount, minor units' }) @IsOptional() @Transform(toInt) @IsInt() @Min(0) minAmountMinor?: number;
  @ApiPropertyOptional({ description: 'Largest amount, minor units' }) @IsOptional() @Transform(toInt) @IsInt() @Min(0) maxAmountMinor?: number;
  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)', example: '2026-12-05T00:00:00Z' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ description: 'true: RECEIVED, AWAITING_ALIPAY or CANCEL_REQUESTED only; false: the others', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  inDoubt?: string;
}

class RefundDto extends ReasonDto {
  @ApiProperty({ description: 'Amount to refund, minor units of the payment currency', example: 500 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;
}

@AdminController('transactions', 'Transactions')
export class TransactionsController {
  constructor(
    @Inject(TransactionQuery) private readonly query: TransactionQuery,
    @Inject(TransactionActions) private readonly actions: TransactionActions,
  ) {}

  @Get()
  @AdminRoute({ role: 'viewer', summary: 'List payments, newest first', description: 'Filters combine with AND. Payment codes are masked.' })
  list(@Query() q: TransactionQueryDto) {
    return this.query.list(
      {
        terminalId: q.terminalId,
        merchantId: q.merchantId,
        channel: q.channel,
        state: q.state,
        rrn: q.rrn,
        stan: q.stan,
        paymentRequestId: q.paymentRequestId,
        alipayTransactionId: q.alipayTransactionId,
        minAmountMinor: q.minAmountMinor,
        maxAmountMinor: q.maxAmountMinor,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        inDoubt: q.inDoubt === undefined ? undefined : q.inDoubt === 'true',
      },
      pageLimit(q.limit),
      q.cursor,
    );
  }

  @Get(':paymentRequestId')
  @AdminRoute({ role: 'viewer', errors: [404], summary: 'One payment with its refunds and whole history', description: 'History: state changes, every Alipay call with latency and outcome, deliveries, cancel attempts; plus the cancel job and manual interventions.' })
  detail(@Param('paymentRequestId') id: string) {
    return this.query.detail(id);
  }

  @Post(':paymentRequestId/inquire')
  @HttpCode(200)
  @AdminRoute({ role: 'operator', write: true, errors: [404], summary: 'Inquire Alipay now and record the answer' })
  inquire(@Param('paymentRequestId') id: string, @Body() _body: ReasonDto, @Actor() actor: AdminActor) {
    return this.actions.inquire(id, actor);
  }

  @Post(':paymentRequestId/cancel')
  @HttpCode(202)
  @AdminRoute({ role: 'operator', write: true, errors: [404, 409], summary: 'Cancel the payment', description: 'Through the reversal path: CANCEL_REQUESTED, a cancel order in the outbox, the reversal workers (a refund of the rest past the cancel window). 202: the cancel is on its way; follow it on the payment.' })
  cancel(@Param('paymentRequestId') id: string, @Body() _body: ReasonDto, @Actor() actor: AdminActor) {
    return this.actions.cancel(id, actor);
  }

  @Post(':paymentRequestId/refunds')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8-128 printable characters; a repeat returns the first answer' })
  @AdminRoute({ role: 'operator', write: true, errors: [404, 409, 422, 502], summary: 'Refund (part of) the payment', description: 'The rules of a terminal refund. 201: Alipay answered (outcome approved or declined); 202: the outcome is not known yet and the engine keeps retrying.' })
  async refund(
    @Param('paymentRequestId') id: string,
    @Body() body: RefundDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Actor() actor: AdminActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.actions.refund(id, body.amountMinor, idempotencyKey, actor);
    response.status(answer.status);
    if (answer.status >= 400) response.type(PROBLEM_CONTENT_TYPE);
    if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }
}
