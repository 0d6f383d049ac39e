import { Module } from '@nestjs/common';

import { WebController } from './web.controller';

/** Must be imported last: its catch-all route only gets what no API route took. */
@Module({ controllers: [WebController] })
export class WebModule {}
