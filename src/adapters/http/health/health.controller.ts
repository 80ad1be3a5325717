import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisConnection } from '../../redis/redis-connection.js';
import { Public } from '../../auth/public.decorator.js';

class ServicesResponse {
  @ApiProperty({ enum: ['up', 'down'] }) database!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) redis!: 'up' | 'down';
}

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: ServicesResponse }) services!: ServicesResponse;
}

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisConnection,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthResponse, description: '`degraded` when a dependency is down; the API keeps serving' })
  async overall(): Promise<HealthResponse> {
    const [database, redis] = await Promise.all([this.databaseUp(), this.redis.ping()]);
    const services: ServicesResponse = { database: database ? 'up' : 'down', redis: redis ? 'up' : 'down' };
    return { status: database && redis ? 'ok' : 'degraded', services };
  }

  @Get('live')
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready to serve: PostgreSQL answers' })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL is unreachable' })
  ready() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1000 })]);
  }

  private async databaseUp(): Promise<boolean> {
    try {
      const result = await this.database.pingCheck('database', { timeout: 1000 });
      return result.database?.status === 'up';
    } catch {
      return false;
    }
  }
}
