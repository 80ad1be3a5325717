import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { TextField } from '../fields.decorator.js';
import { Optional } from '../optional.decorator.js';
import { CATEGORY_NAME_MAX, type Category } from '../../../core/categories/category.js';
import { isoTime } from '../iso-time.js';

export class CreateCategoryRequest {
  @ApiProperty({ minLength: 1, maxLength: CATEGORY_NAME_MAX, example: 'Network' })
  @TextField(CATEGORY_NAME_MAX)
  name!: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Set to create a subcategory' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}

export class UpdateCategoryRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: CATEGORY_NAME_MAX })
  @Optional()
  @TextField(CATEGORY_NAME_MAX)
  name?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null makes it a top-level category' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}

export class CategoryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(c: Category): CategoryResponse {
    return { ...c, createdAt: isoTime(c.createdAt), updatedAt: isoTime(c.updatedAt) };
  }
}

export class CategoryTreeResponse extends CategoryResponse {
  @ApiProperty({ type: [CategoryResponse] }) subcategories!: CategoryResponse[];
}
