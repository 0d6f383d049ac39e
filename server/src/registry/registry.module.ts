import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { HandleEntity } from './handle.entity';
import { HandleStore } from './handle-store';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';
import { WellKnownController } from './well-known.controller';

@Module({
  imports: [TypeOrmModule.forFeature([HandleEntity])],
  controllers: [RegistryController, WellKnownController],
  providers: [RegistryService, HandleStore],
  exports: [RegistryService, HandleStore],
})
export class RegistryModule {}
