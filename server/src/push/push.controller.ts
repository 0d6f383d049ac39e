import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import type { PushCheckResponse, VapidPublicKeyResponse } from '@kez/protocol';

import { PushCheckQueryDto, PushSubscribeDto, PushUnsubscribeDto } from './push.dto';
import { PushService } from './push.service';
import { VapidKeys } from './vapid-keys';

@Controller('v1/push')
export class PushController {
  constructor(
    private readonly push: PushService,
    private readonly vapid: VapidKeys,
  ) {}

  @Get('vapid-public-key')
  publicKey(): VapidPublicKeyResponse {
    return { publicKey: this.vapid.publicKey };
  }

  /** 201 for a new subscription, 200 when the endpoint was already there (its keys are refreshed). */
  @Post('subscribe/:handle')
  async subscribe(
    @Param('handle') handle: string,
    @Headers('x-kez-auth') auth: string | undefined,
    @Body() body: PushSubscribeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PushCheckResponse> {
    const result = await this.push.subscribe(handle, auth, body);
    void reply.status(result === 'created' ? 201 : 200);
    return { subscribed: true };
  }

  @Post('unsubscribe/:handle')
  @HttpCode(200)
  async unsubscribe(
    @Param('handle') handle: string,
    @Headers('x-kez-auth') auth: string | undefined,
    @Body() body: PushUnsubscribeDto,
  ): Promise<PushCheckResponse> {
    await this.push.unsubscribe(handle, auth, body.endpoint);
    return { subscribed: false };
  }

  @Get('subscriptions/:handle')
  async check(@Param('handle') handle: string, @Headers('x-kez-auth') auth: string | undefined, @Query() query: PushCheckQueryDto): Promise<PushCheckResponse> {
    return { subscribed: await this.push.isSubscribed(handle, auth, query.endpoint) };
  }
}
