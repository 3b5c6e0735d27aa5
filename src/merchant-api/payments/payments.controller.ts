import { Body, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiCreatedResponse } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength, Min } from 'class-validator';
import type { ApiClient } from '../clients/api-client-store';
import { PayApiController, PayApiRoute } from '../http/pay-api-route.decorator';
import { PayClient } from '../http/pay-request';
import type { PaymentResource, RefundResource } from './payment-resources';
import { PaymentDto, RefundDto } from './payment-schemas';
import { RestPayments } from './rest-payments';
import { WEBHOOK_URL_MAX_LENGTH, WEBHOOK_URL_OPTIONS } from '../webhooks/webhook-url';


class CreatePaymentDto {
  @ApiProperty({ example: '281234567890123000', description: 'The code the customer shows (digits); never stored in clear' })
  @IsString()
  @Matches(/^\d{16,32}$/)
  paymentCode!: string;

  @ApiProperty({ example: 1250, description: 'Integer minor units' })
  @IsInt()
  @Min(1)
  amountMinor!: number;

  @ApiProperty({ example: 'CNY', description: 'ISO 4217 alphabetic' })
  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @ApiProperty({ example: 'ORDER-2026-0001', description: 'The merchant’s own id; once per merchant' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,64}$/)
  merchantOrderId!: string;

  @ApiPropertyOptional({ example: 'STORE-12/LANE-3', description: 'The merchant’s store or terminal reference, echoed back' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  storeRef?: string;

  @ApiPropertyOptional({ example: 'https://merchant.example/alipay/webhook', description: 'Where the final result is POSTed (signed)' })
  @IsOptional()
  @IsUrl(WEBHOOK_URL_OPTIONS)
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  webhookUrl?: string;
}

class CreateRefundDto {
  @ApiProperty({ example: 500 })
  @IsInt()
  @Min(1)
  amountMinor!: number;

  @ApiProperty({ example: 'REFUND-2026-0001-1', description: 'The merchant’s stable id for this refund: a repeat gives the same refund' })
  @IsString()
  @IsNotEmpty()
  @Matches(/^[\x21-\x7e]{1,64}$/)
  refundRequestId!: string;

  @ApiPropertyOptional({ example: 'https://merchant.example/alipay/webhook' })
  @IsOptional()
  @IsUrl(WEBHOOK_URL_OPTIONS)
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  webhookUrl?: string;
}

@PayApiController('payments', 'Payments')
export class PaymentsController {
  constructor(@Inject(RestPayments) private readonly payments: RestPayments) {}

  @Post()
  @ApiCreatedResponse({ type: PaymentDto, description: 'The payment: APPROVED or DECLINED when final within the gateway’s timeout, otherwise PROCESSING (then GET it or wait for the webhook)' })
  @PayApiRoute({
    post: true,
    errors: [409, 422, 502],
    summary: 'Take a user-presented payment',
    example: "POST /pay/v1/payments '{\"paymentCode\":\"281234567890123000\",\"amountMinor\":1250,\"currency\":\"CNY\",\"merchantOrderId\":\"ORDER-1\"}'",
  })
  create(@PayClient() client: ApiClient, @Body() body: CreatePaymentDto): Promise<PaymentResource> {
    return this.payments.pay(client, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: PaymentDto, description: 'The payment as it is now; an APPROVED one with its receipt' })
  @PayApiRoute({ errors: [404], summary: 'Read a payment', example: 'GET /pay/v1/payments/<paymentId>' })
  read(@PayClient() client: ApiClient, @Param('id') id: string): Promise<PaymentResource> {
    return this.payments.read(client, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: PaymentDto, description: 'The payment: CANCELLING or CANCELLED' })
  @PayApiRoute({
    post: true,
    errors: [404, 409],
    summary: 'Cancel a payment',
    description: 'Until confirmed: the cancel is stored at once (CANCELLING) and carried to Alipay until it confirms (CANCELLED, also pushed by webhook).',
    example: "POST /pay/v1/payments/<paymentId>/cancel '{}'",
  })
  cancel(@PayClient() client: ApiClient, @Param('id') id: string): Promise<PaymentResource> {
    return this.payments.cancel(client, id);
  }

  @Post(':id/refunds')
  @ApiCreatedResponse({ type: RefundDto, description: 'The refund: SUCCEEDED (with its receipt), FAILED, or PROCESSING' })
  @PayApiRoute({
    post: true,
    errors: [404, 409, 422, 502],
    summary: 'Refund (part of) an approved payment',
    description: 'Never above what is left of the payment; the terminals’ rules apply.',
    example: "POST /pay/v1/payments/<paymentId>/refunds '{\"amountMinor\":500,\"refundRequestId\":\"REFUND-1\"}'",
  })
  refund(@PayClient() client: ApiClient, @Param('id') id: string, @Body() body: CreateRefundDto): Promise<RefundResource> {
    return this.payments.refund(client, id, body);
  }
}
