import { Controller, Get, Header, Inject } from '@nestjs/common';
import { prometheusContentType } from 'prom-client';
import { QueueGauges } from './queue-gauges';
import { SwitchMetrics } from './switch-metrics';

/** Prometheus text exposition; the queue gauges are read from the database for each scrape. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(SwitchMetrics) private readonly metrics: SwitchMetrics,
    @Inject(QueueGauges) private readonly queues: QueueGauges,
  ) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    await this.queues.refresh();
    return this.metrics.text();
  }
}
