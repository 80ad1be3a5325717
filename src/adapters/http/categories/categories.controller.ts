import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiNoContentResponse } from '@nestjs/swagger';
import {
  CategoryCatalog,
  CreateCategory,
  DeleteCategory,
  UpdateCategory,
} from '../../../core/categories/manage-categories.use-case.js';
import type { Actor } from '../../../core/identity/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { CategoryResponse, CategoryTreeResponse, CreateCategoryRequest, UpdateCategoryRequest } from './category.dto.js';

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(
    private readonly catalog: CategoryCatalog,
    private readonly createCategory: CreateCategory,
    private readonly updateCategory: UpdateCategory,
    private readonly deleteCategory: DeleteCategory,
  ) {}

  @Get()
  @ApiOkResponse({ type: [CategoryTreeResponse], description: 'Top-level categories with their subcategories' })
  @ApiAuthenticated()
  async list(): Promise<CategoryTreeResponse[]> {
    const all = (await this.catalog.list()).map(CategoryResponse.from);
    return all
      .filter((c) => c.parentId === null)
      .map((c) => ({ ...c, subcategories: all.filter((s) => s.parentId === c.id) }));
  }

  @Post()
  @ApiCreatedResponse({ type: CategoryResponse })
  @ApiAuthenticated(400, 403, 409, 422)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateCategoryRequest): Promise<CategoryResponse> {
    return CategoryResponse.from(await this.createCategory.execute(actor, body));
  }

  @Patch(':id')
  @ApiOkResponse({ type: CategoryResponse })
  @ApiAuthenticated(400, 403, 404, 409, 422)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: UpdateCategoryRequest,
  ): Promise<CategoryResponse> {
    return CategoryResponse.from(await this.updateCategory.execute(actor, { id, ...body }));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiAuthenticated(400, 403, 404, 409)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.deleteCategory.execute(actor, id);
  }
}
