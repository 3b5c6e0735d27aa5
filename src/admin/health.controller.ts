import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence/persistence.tokens';

@Controller('health')
export class HealthController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  async health(): Promise<{ status: 'ok' | 'degraded'; database: 'up' | 'down' }> {
    const database = await this.dataSource.query('SELECT 1').then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return { status: database === 'up' ? 'ok' : 'degraded', database };
  }
}
