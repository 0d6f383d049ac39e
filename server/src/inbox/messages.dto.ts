import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';

/** POST /v1/messages. The envelope is opaque: only its type and size are checked. */
export class PostMessageDto {
  @IsString()
  @IsNotEmpty()
  to!: string;

  @IsObject()
  envelope!: Record<string, unknown>;

  /**
   * `false`: stored and streamed as usual, but no device is woken with Web Push
   * (copies to self, receipts: contract §4). Absent or `true`: the usual push decision.
   * Only a JSON boolean is accepted; `"false"`, `0` or `null` is `bad_request`
   * (hence ValidateIf rather than IsOptional, which would let `null` through).
   */
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsBoolean({ message: 'push must be true or false' })
  push?: boolean;
}

/**
 * Query of GET /v1/inbox/:handle. Numbers stay strings as sent, because the
 * signed auth string carries `since` exactly as the client wrote it.
 */
export class InboxQueryDto {
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,15})$/, { message: 'since must be a non-negative integer' })
  since?: string;

  @IsOptional()
  @Matches(/^([1-9]|[1-9][0-9]|[1-4][0-9][0-9]|500)$/, { message: 'limit must be an integer from 1 to 500' })
  limit?: string;
}

/** Query of GET /v1/inbox/:handle/stream. */
export class StreamQueryDto {
  @IsOptional()
  @IsString()
  auth?: string;

  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,15})$/, { message: 'since must be a non-negative integer' })
  since?: string;
}
