import { Body, Controller, Get, Param, Post } from '@nestjs/common';

import type { HandleRecord } from '@kez/protocol';

import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { RegisterRequestDto } from './register.dto';
import { RegistryService } from './registry.service';

@Controller('v1')
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Post('register')
  @RateLimit('register')
  register(@Body() request: RegisterRequestDto): Promise<HandleRecord> {
    return this.registry.register(request);
  }

  @Get('u/:handle')
  lookup(@Param('handle') handle: string): Promise<HandleRecord> {
    return this.registry.lookup(handle);
  }

  @Get('by-primary/:primary')
  lookupByPrimary(@Param('primary') primary: string): Promise<HandleRecord> {
    return this.registry.lookupByPrimary(primary);
  }
}
