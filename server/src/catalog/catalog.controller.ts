import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/auth.types';
import { ApiErrors, ApiZodResponse } from '../common/api-schema.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { LabDetail, LabListResponse, LabSlugParam } from './catalog.dto';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@Controller('api/labs')
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Get()
  @ApiZodResponse(
    200,
    'Labs; learners see valid ones only, instructors and admins also invalid ones with problems',
    LabListResponse,
  )
  @ApiErrors(401)
  async list(@CurrentUser() user: SessionUser) {
    return { labs: await this.catalog.list(user) };
  }

  @Get(':slug')
  @ApiParam({ name: 'slug', example: 'svc-selector-mismatch' })
  @ApiZodResponse(200, 'One lab: instructions, hint costs, check titles', LabDetail)
  @ApiErrors(400, 401, 404)
  async detail(
    @CurrentUser() user: SessionUser,
    @Param('slug', new ZodValidationPipe(LabSlugParam)) slug: string,
  ) {
    return this.catalog.detail(user, slug);
  }
}
