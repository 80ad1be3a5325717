import { Controller, Sse, SseSignal, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import type { Actor } from '../../../core/identity/actor.js';
import { StreamEvents } from '../../../core/live/live-events.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';

const HEARTBEAT_MS = 25_000;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly stream: StreamEvents) {}

  @Sse()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-Sent Events: `event: <type>`, `id: <event id>`, `data: {id,type,aggregateId,actorId,occurredAt,payload}` for ' +
      'every ticket, comment and SLA event the caller may see (requesters: their own tickets, no internal notes), ' +
      'plus a `ping` every 25 s. Live only: nothing is replayed on reconnect.',
  })
  @ApiAuthenticated()
  events(@CurrentActor() actor: Actor, @SseSignal() signal: AbortSignal): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      const close = this.stream.open(
        actor,
        (event) => subscriber.next({ id: event.id, type: event.type, data: event }),
        // The caller's role or active flag changed: end the stream (a reconnect is authorised afresh).
        () => subscriber.complete(),
      );
      const heartbeat = setInterval(() => subscriber.next({ type: 'ping', data: {} }), HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        close();
      };
      signal.addEventListener('abort', stop, { once: true });
      return stop;
    });
  }
}
