/** The OpenAPI shapes of the payment and refund answers (payment-resources.ts builds them). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReceiptDto {
  @ApiProperty({ enum: ['Alipay'], description: 'The payment mark: processed by Alipay' })
  mark!: string;

  @ApiProperty({ enum: ['sale', 'refund'] })
  kind!: string;

  @ApiProperty({ example: '2026120522001400000000000001', description: 'The number to look the receipt up by: Alipay’s transaction (or refund) number when known, else merchantOrderId' })
  reference!: string;

  @ApiPropertyOptional({ description: 'The order number at Alipay: the payment’s (or refund’s) request id' })
  merchantOrderId?: string;

  @ApiPropertyOptional({ description: 'Alipay’s transaction number; of a refund, Alipay’s refund id or the sale’s trade number' })
  alipayTransactionId?: string;

  @ApiProperty({ example: '2026-12-05 18:00:03', description: 'When the payment (refund) was taken, on the merchant’s clock (its time zone), to the second' })
  localTime!: string;

  @ApiProperty({ example: '12.50', description: 'What the merchant charged (refunded), in major units of `currency`; never the customer-side amount' })
  amount!: string;

  @ApiProperty({ example: 'CNY' })
  currency!: string;

  @ApiPropertyOptional({ description: 'The store’s (else the merchant’s) name' })
  merchantName?: string;

  @ApiPropertyOptional({ description: 'The API client’s virtual terminal id' })
  terminalId?: string;

  @ApiPropertyOptional()
  rrn?: string;

  @ApiPropertyOptional()
  approvalCode?: string;
}

export class PaymentDto {
  @ApiProperty() paymentId!: string;
  @ApiProperty() merchantOrderId!: string;
  @ApiProperty({ description: 'The order number at Alipay' }) paymentRequestId!: string;
  @ApiPropertyOptional() storeRef?: string;
  @ApiProperty({ enum: ['PROCESSING', 'APPROVED', 'DECLINED', 'CANCELLING', 'CANCELLED'] }) status!: string;
  @ApiPropertyOptional() declineReason?: string;
  @ApiProperty({ example: 1250 }) amountMinor!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty() refundedMinor!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ type: ReceiptDto, description: 'Only when APPROVED' }) receipt?: ReceiptDto;
}

export class RefundDto {
  @ApiProperty() refundId!: string;
  @ApiProperty() refundRequestId!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty({ enum: ['PROCESSING', 'SUCCEEDED', 'FAILED'] }) status!: string;
  @ApiPropertyOptional() declineReason?: string;
  @ApiProperty({ example: 500 }) amountMinor!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ type: ReceiptDto, description: 'Only when SUCCEEDED' }) receipt?: ReceiptDto;
}
