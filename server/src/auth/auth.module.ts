import { Module } from '@nestjs/common';

import { RegistryModule } from '../registry/registry.module';
import { KezAuth } from './kez-auth.service';

/** `X-KEZ-Auth` verification for every module whose requests act for a handle. */
@Module({
  imports: [RegistryModule],
  providers: [KezAuth],
  exports: [KezAuth],
})
export class AuthModule {}
