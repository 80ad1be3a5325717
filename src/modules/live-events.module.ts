import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventsController } from '../adapters/http/events/events.controller.js';
import { liveChannel, RedisLiveEvents } from '../adapters/redis/redis-live-events.js';
import { AppConfig } from '../config/app-config.js';
import { LiveEventBus, StreamEvents } from '../core/live/live-events.js';
import { useCase } from './use-case.provider.js';

/** GET /events: the live stream of each API instance, fed by the relays through Redis pub/sub. */
@Module({
  controllers: [EventsController],
  providers: [
    {
      provide: RedisLiveEvents,
      useFactory: (c: AppConfig) => new RedisLiveEvents(c.redisUrl, liveChannel(c.env.QUEUE_PREFIX)),
      inject: [AppConfig],
    },
    { provide: LiveEventBus, useExisting: RedisLiveEvents },
    useCase(StreamEvents, [LiveEventBus]),
  ],
})
export class LiveEventsModule implements OnApplicationShutdown {
  constructor(@Inject(RedisLiveEvents) private readonly bus: RedisLiveEvents) {}

  onApplicationShutdown(): void {
    this.bus.close();
  }
}
