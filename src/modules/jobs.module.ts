import { Module } from '@nestjs/common';
import { FailedJobsController } from '../adapters/http/jobs/failed-jobs.controller.js';
import { FailedJobs } from '../core/pipeline/failed-jobs.port.js';
import { ManageFailedJobs } from '../core/pipeline/manage-failed-jobs.use-case.js';
import { useCase } from './use-case.provider.js';

/** Admin API over the background jobs that ran out of retries. */
@Module({
  controllers: [FailedJobsController],
  providers: [useCase(ManageFailedJobs, [FailedJobs])],
})
export class JobsModule {}
