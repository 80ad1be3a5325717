import { Module } from '@nestjs/common';
import { CategoriesController } from '../adapters/http/categories/categories.controller.js';
import { CategoryCatalog, CreateCategory, DeleteCategory, UpdateCategory } from '../core/categories/manage-categories.use-case.js';
import { CategoryRepository } from '../core/categories/category-repository.port.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { useCase } from './use-case.provider.js';

@Module({
  controllers: [CategoriesController],
  providers: [
    useCase(CategoryCatalog, [CategoryRepository]),
    useCase(CreateCategory, [UnitOfWork, Clock]),
    useCase(UpdateCategory, [UnitOfWork, Clock]),
    useCase(DeleteCategory, [UnitOfWork]),
  ],
})
export class CategoriesModule {}
