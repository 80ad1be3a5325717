import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Actor } from '../../../core/identity/actor.js';
import type { FailedJob } from '../../../core/pipeline/failed-jobs.port.js';
import { InvalidInputError } from '../../../core/shared/domain-error.js';
import { ManageFailedJobs } from '../../../core/pipeline/manage-failed-jobs.use-case.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { IntegerQueryField, TextField } from '../fields.decorator.js';
import { isoTime, isoTimeOrNull } from '../iso-time.js';

export class FailedJobsQuery {
  @ApiPropertyOptional({ description: 'One queue (default: all)' })
  @IsOptional()
  @TextField(50, { min: 0 })
  queue?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @IntegerQueryField(1, 500)
  limit?: number;
}

export class FailedJobResponse {
  @ApiProperty() queue!: string;
  @ApiProperty({ description: 'Job id (= the outbox event id)' }) id!: string;
  @ApiProperty({ description: 'Event type' }) name!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() failedReason!: string;
  @ApiProperty() attemptsMade!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failedAt!: string | null;

  static from(j: FailedJob): FailedJobResponse {
    return { ...j, createdAt: isoTime(j.createdAt), failedAt: isoTimeOrNull(j.failedAt) };
  }
}

const JOB_ID = /^[A-Za-z0-9:_-]{1,100}$/;

@ApiTags('jobs')
@Controller('jobs/failed')
export class FailedJobsController {
  constructor(private readonly jobs: ManageFailedJobs) {}

  @Get()
  @ApiOkResponse({ type: [FailedJobResponse], description: 'Admins: background jobs that used up their retries, newest first' })
  @ApiAuthenticated(400, 403, 503)
  async list(@CurrentActor() actor: Actor, @Query() query: FailedJobsQuery): Promise<FailedJobResponse[]> {
    return (await this.jobs.list(actor, { queue: query.queue, limit: query.limit ?? 100 })).map(FailedJobResponse.from);
  }

  @Post(':queue/:id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Back in its queue with fresh attempts' })
  @ApiAuthenticated(400, 403, 404, 503)
  async retry(@CurrentActor() actor: Actor, @Param('queue') queue: string, @Param('id') id: string): Promise<void> {
    if (!JOB_ID.test(id)) throw new InvalidInputError('id', 'is not a job id');
    await this.jobs.retry(actor, queue, id);
  }
}
