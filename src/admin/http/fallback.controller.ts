import { All } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AdminController } from './admin-route.decorator';
import { notFound } from './problem';
import { RequiresRole } from './role.guard';

/** Registered last: a path under /admin/v1 that no route takes is a 404 problem, like every other error. */
@ApiExcludeController()
@AdminController('', 'fallback')
export class AdminFallbackController {
  @All('{*path}')
  @RequiresRole('viewer')
  none(): never {
    throw notFound('no such route; GET /admin/openapi.json lists them');
  }
}
