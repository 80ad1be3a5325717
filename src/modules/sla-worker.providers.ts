import { Logger, type Provider } from '@nestjs/common';
import { BullSlaTimers } from '../adapters/queue/bull-sla-timers.js';
import { SlaProcessor } from '../adapters/queue/processors/sla.processor.js';
import { ProducerQueues } from '../adapters/queue/producer-queues.js';
import { QUEUES } from '../adapters/queue/queues.js';
import { SlaSweepSchedule } from '../adapters/queue/sla-sweep-schedule.js';
import { AppConfig } from '../config/app-config.js';
import { CheckSlaClocks, SweepSlaClocks } from '../core/sla/check-sla.use-case.js';
import type { SlaSettings } from '../core/sla/effective-policy.js';
import { SlaTimers } from '../core/sla/sla-timers.port.js';
import { TrackSla } from '../core/sla/track-sla.use-case.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';

const settings = (c: AppConfig): SlaSettings => ({ targetDivisor: c.env.SLA_TARGET_DIVISOR });
const slaQueue = (q: ProducerQueues) => q.byName.get(QUEUES.sla)!;

/** The SLA worker's pieces: timers on the `sla` queue, the use cases, the processor and the sweep schedule. */
export const slaWorkerProviders: Provider[] = [
  {
    provide: SlaTimers,
    useFactory: (q: ProducerQueues, c: AppConfig) =>
      new BullSlaTimers(slaQueue(q), { attempts: c.env.JOB_ATTEMPTS, backoffMs: c.env.JOB_BACKOFF_MS }),
    inject: [ProducerQueues, AppConfig],
  },
  {
    provide: TrackSla,
    useFactory: (uow: UnitOfWork, timers: SlaTimers, clock: Clock, c: AppConfig) => new TrackSla(uow, timers, clock, settings(c)),
    inject: [UnitOfWork, SlaTimers, Clock, AppConfig],
  },
  {
    provide: CheckSlaClocks,
    useFactory: (uow: UnitOfWork, timers: SlaTimers, clock: Clock, c: AppConfig) =>
      new CheckSlaClocks(uow, timers, clock, settings(c)),
    inject: [UnitOfWork, SlaTimers, Clock, AppConfig],
  },
  {
    provide: SweepSlaClocks,
    useFactory: (uow: UnitOfWork, check: CheckSlaClocks, clock: Clock) => new SweepSlaClocks(uow, check, clock),
    inject: [UnitOfWork, CheckSlaClocks, Clock],
  },
  {
    provide: SlaProcessor,
    useFactory: (track: TrackSla, check: CheckSlaClocks, sweep: SweepSlaClocks) => new SlaProcessor(track, check, sweep),
    inject: [TrackSla, CheckSlaClocks, SweepSlaClocks],
  },
  {
    provide: SlaSweepSchedule,
    useFactory: (q: ProducerQueues, c: AppConfig) => {
      const logger = new Logger('Sla');
      if (c.env.SLA_TARGET_DIVISOR !== 1) {
        logger.warn(`SLA_TARGET_DIVISOR=${c.env.SLA_TARGET_DIVISOR}: SLA clocks run that many times fast (tests only)`);
      }
      return new SlaSweepSchedule(slaQueue(q), c.env.SLA_SWEEP_MS, logger);
    },
    inject: [ProducerQueues, AppConfig],
  },
];
