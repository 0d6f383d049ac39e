import { Controller, Get, Header } from '@nestjs/common';

import { appVersion } from '../common/project-root';
import { OpsFigures } from './figures';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus';

@Controller('v1')
export class MetricsController {
  constructor(private readonly figures: OpsFigures) {}

  /** Prometheus text; the shipped nginx.conf keeps it off the public side. */
  @Get('metrics')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  metrics(): string {
    return renderPrometheus(this.figures.read(), appVersion);
  }
}
