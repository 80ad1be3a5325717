import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventsController } from '../adapters/http/events/events.controller.js';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import { accessChannel, liveChannel, RedisAccessChanges, RedisLiveEvents } from '../adapters/redis/redis-live-events.js';
import { AppConfig } from '../config/app-config.js';
import { AccessChanges } from '../core/identity/access-changes.port.js';
import { LiveEventBus, StreamEvents } from '../core/live/live-events.js';
import { useCase } from './use-case.provider.js';

/**
 * GET /events: the live stream of each API instance, fed by the relays through Redis pub/sub; and AccessChanges,
 * which ends a user's streams and cached rights on every instance when an admin changes the user.
 */
@Global()
@Module({
  controllers: [EventsController],
  providers: [
    {
      provide: RedisLiveEvents,
      useFactory: (c: AppConfig) =>
        new RedisLiveEvents(c.redisUrl, liveChannel(c.env.QUEUE_PREFIX), accessChannel(c.env.QUEUE_PREFIX)),
      inject: [AppConfig],
    },
    { provide: LiveEventBus, useExisting: RedisLiveEvents },
    {
      provide: AccessChanges,
      useFactory: (bus: RedisLiveEvents, redis: RedisConnection, c: AppConfig) =>
        new RedisAccessChanges(bus, redis, accessChannel(c.env.QUEUE_PREFIX), new Logger('AccessChanges')),
      inject: [RedisLiveEvents, RedisConnection, AppConfig],
    },
    useCase(StreamEvents, [LiveEventBus]),
  ],
  exports: [LiveEventBus, AccessChanges],
})
export class LiveEventsModule implements OnApplicationShutdown {
  constructor(@Inject(RedisLiveEvents) private readonly bus: RedisLiveEvents) {}

  onApplicationShutdown(): void {
    this.bus.close();
  }
}
