import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '../auth/auth.decorators';

/** Prometheus scrape endpoint over prom-client's default registry (others add their metrics there). */
@ApiExcludeController()
@Controller()
export class MetricsController {
  @Public()
  @Get('metrics')
  @Header('content-type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
