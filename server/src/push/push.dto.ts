// class-transformer's @Type reads design-time metadata through the Reflect API.
import 'reflect-metadata';

import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsNumber, IsOptional, IsString, ValidateNested } from 'class-validator';

export class PushKeysDto {
  @IsString()
  @IsNotEmpty()
  p256dh!: string;

  @IsString()
  @IsNotEmpty()
  auth!: string;
}

/** A browser PushSubscription as `toJSON()` gives it. */
export class PushSubscribeDto {
  @IsString()
  @IsNotEmpty()
  endpoint!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys!: PushKeysDto;

  /** `PushSubscription.toJSON()` includes it (null in every current browser); accepted and not used. */
  @IsOptional()
  @IsNumber()
  expirationTime?: number | null;
}

export class PushUnsubscribeDto {
  @IsString()
  @IsNotEmpty()
  endpoint!: string;
}

/** Query of GET /v1/push/subscriptions/:handle. */
export class PushCheckQueryDto {
  @IsString()
  @IsNotEmpty()
  endpoint!: string;
}
