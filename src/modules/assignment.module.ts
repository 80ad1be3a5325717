import { Module } from '@nestjs/common';
import { AvailabilityController, GroupsController } from '../adapters/http/groups/groups.controller.js';
import { GroupRepository } from '../core/assignment/group-repository.port.js';
import { ManageGroups, SetAvailability } from '../core/assignment/manage-groups.use-case.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { useCase } from './use-case.provider.js';

@Module({
  controllers: [GroupsController, AvailabilityController],
  providers: [useCase(ManageGroups, [UnitOfWork, GroupRepository, Clock]), useCase(SetAvailability, [UnitOfWork, Clock])],
})
export class AssignmentModule {}
