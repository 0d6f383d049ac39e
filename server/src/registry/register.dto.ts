// class-transformer's @Type reads design-time metadata through the Reflect API.
import 'reflect-metadata';

import { Type } from 'class-transformer';
import { Equals, IsDefined, IsInt, IsNotEmptyObject, IsString, ValidateNested } from 'class-validator';

import { REGISTER_PAYLOAD_TYPE } from '@kez/protocol';

/**
 * The signed part of a registration. Only types are checked here; the handle rules,
 * key formats, server name and clock skew are domain checks with their own error codes.
 */
export class RegisterPayloadDto {
  @Equals(REGISTER_PAYLOAD_TYPE)
  type!: typeof REGISTER_PAYLOAD_TYPE;

  @IsString()
  handle!: string;

  @IsString()
  server!: string;

  @IsString()
  primary!: string;

  @IsString()
  addr!: string;

  @IsInt()
  created_at!: number;
}

/** A detached signature over the JCS bytes of a payload. */
export class SignatureDto {
  @IsString()
  alg!: string;

  @IsString()
  key!: string;

  @IsString()
  sig!: string;
}

export class RegisterRequestDto {
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => RegisterPayloadDto)
  payload!: RegisterPayloadDto;

  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature!: SignatureDto;
}
