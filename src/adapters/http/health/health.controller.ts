import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisConnection } from '../../redis/redis-connection.js';
import { Public } from '../../auth/public.decorator.js';
import { problemResponse } from '../api-problems.decorator.js';

class ServicesResponse {
  @ApiProperty({ enum: ['up', 'down'] }) database!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) redis!: 'up' | 'down';
}

class LiveResponse {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class ReadyResponse {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per dependency: { status: "up" }' })
  info!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) error!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
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
  @ApiOkResponse({ type: LiveResponse, description: 'The process is running' })
  live(): LiveResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  // terminus' own OpenAPI text would claim a JSON 503; ours is problem+json, documented below.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ type: ReadyResponse, description: 'Ready to serve: PostgreSQL answers' })
  @ApiResponse({ status: 503, ...problemResponse(503, 'PostgreSQL is unreachable') })
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
