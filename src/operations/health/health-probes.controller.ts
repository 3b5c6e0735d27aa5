import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Readiness } from './readiness';

/**
 * Kubernetes-style probes beside the older GET /health (which stays as it was):
 * - live: the process runs and its event loop answers; restart it when this fails;
 * - ready: it can serve (database, Kafka when configured, outbox relayed in time); 503 takes it out of
 *   the load balancer until the dependency is back.
 */
@Controller('health')
export class HealthProbesController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.readiness.checks());
  }
}
