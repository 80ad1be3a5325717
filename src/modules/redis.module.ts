import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import { RedisThrottlerStorage } from '../adapters/redis/redis-throttler.storage.js';
import { AppConfig } from '../config/app-config.js';

@Global()
@Module({
  providers: [
    { provide: RedisConnection, useFactory: (c: AppConfig) => new RedisConnection(c.redisUrl), inject: [AppConfig] },
    { provide: RedisThrottlerStorage, useFactory: (r: RedisConnection) => new RedisThrottlerStorage(r), inject: [RedisConnection] },
  ],
  exports: [RedisConnection, RedisThrottlerStorage],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(RedisConnection) private readonly redis: RedisConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}
