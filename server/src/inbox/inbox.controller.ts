import { Body, Controller, Get, Header, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { PostMessageResponse } from '@kez/protocol';

import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { InboxService } from './inbox.service';
import { InboxQueryDto, PostMessageDto, StreamQueryDto } from './messages.dto';
import { InboxStreams } from './stream/inbox-streams.service';

@Controller('v1')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly streams: InboxStreams,
  ) {}

  @Post('messages')
  @RateLimit('messages')
  post(@Body() request: PostMessageDto): Promise<PostMessageResponse> {
    return this.inbox.post(request);
  }

  @Get('inbox/:handle')
  @Header('Content-Type', 'application/json; charset=utf-8')
  page(@Param('handle') handle: string, @Query() query: InboxQueryDto, @Headers('x-kez-auth') auth?: string): Promise<string> {
    return this.inbox.page(handle, query, auth);
  }

  /** Also serves HEAD (Fastify derives it from GET): the same checks and headers, no stream, no reader. */
  @Get('inbox/:handle/stream')
  stream(
    @Param('handle') handle: string,
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.streams.openStream(handle, query, lastEventId, reply, request.method === 'HEAD');
  }
}
