import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of a listing already held: 304 without a body while it is still current',
  })
  @ApiErrors(401)
  async list(@CurrentUser() user: SessionUser, @Res() res: Response): Promise<void> {
    // Written from text prepared per catalog snapshot (see LabListBody): the hot path of the app.
    const { bytes, etag } = await this.catalog.listJson(user);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.type('application/json').send(bytes);
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
