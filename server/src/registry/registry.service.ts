import { Injectable, Logger } from '@nestjs/common';

import { isFresh, isValidAddr, isValidPrimary, verifyEnvelope } from '@kez/crypto';
import { asciiLowerCase, checkHandle, type HandleRecord, REGISTER_SKEW_SECONDS, splitKez, trimAsciiSpace } from '@kez/protocol';

import { ApiError } from '../common/errors/api-error';
import { logHandle } from '../common/logging/log-privacy';
import { AppConfig } from '../config/app-config';
import type { HandleEntity } from './handle.entity';
import type { RegisterRequestDto } from './register.dto';
import { HandleStore } from './handle-store';

@Injectable()
export class RegistryService {
  private readonly logger = new Logger(RegistryService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly store: HandleStore,
  ) {}

  /** Checks a signed registration in the order a client can act on, then lets the database decide who wins. */
  async register(request: RegisterRequestDto, now = Math.floor(Date.now() / 1000)): Promise<HandleRecord> {
    const { payload, signature } = request;
    const handle = this.canonicalHandle(payload.handle);
    if (asciiLowerCase(trimAsciiSpace(payload.server)) !== this.config.server) {
      throw new ApiError('wrong_server', `This server is ${this.config.server}.`);
    }
    if (!isValidPrimary(payload.primary)) {
      throw new ApiError('invalid_key', 'primary must be ed25519: followed by 64 lowercase hex digits of a valid key.');
    }
    if (!isValidAddr(payload.addr)) {
      throw new ApiError('invalid_key', 'addr must be 64 lowercase hex digits of a valid x-only secp256k1 key.');
    }
    if (signature.alg !== 'ed25519' || signature.key !== payload.primary) {
      throw new ApiError('bad_signature', 'Registrations are signed with ed25519 by the primary being registered.');
    }
    // The signed object is exactly the contract's payload fields (unknown fields were refused by validation).
    const signed = {
      type: payload.type,
      handle: payload.handle,
      server: payload.server,
      primary: payload.primary,
      addr: payload.addr,
      created_at: payload.created_at,
    };
    if (!verifyEnvelope({ payload: signed, signature })) {
      throw new ApiError('bad_signature');
    }
    if (!isFresh(payload.created_at, now, REGISTER_SKEW_SECONDS)) {
      throw new ApiError('stale_timestamp', `created_at must be within ${REGISTER_SKEW_SECONDS} seconds of the server clock.`);
    }
    const row: HandleEntity = {
      handle,
      identityKey: payload.primary,
      addr: payload.addr,
      createdAt: payload.created_at,
      registeredAt: now,
    };
    const result = await this.store.insert(row);
    if (result !== 'inserted') {
      throw new ApiError(result);
    }
    this.logger.log(`registered ${logHandle(handle)}`);
    return this.toRecord(row);
  }

  /** `alice` or `alice@<this server>`; another server's KEZ is not found here. */
  async lookup(kez: string): Promise<HandleRecord> {
    const { handle, server } = splitKez(kez);
    const check = checkHandle(handle);
    if (!check.ok && check.code === 'invalid_handle') {
      throw new ApiError('invalid_handle');
    }
    if (server !== undefined && server !== this.config.server) {
      throw new ApiError('not_found', 'That handle belongs to another server; ask it directly.');
    }
    // A reserved name is valid to ask about; it simply never exists.
    const canonical = check.ok ? check.handle : asciiLowerCase(trimAsciiSpace(handle));
    return this.toRecord(await this.found(this.store.findByHandle(canonical)));
  }

  async lookupByPrimary(primary: string): Promise<HandleRecord> {
    if (!isValidPrimary(primary)) {
      throw new ApiError('invalid_key', 'Not a primary: expected ed25519: followed by 64 lowercase hex digits.');
    }
    return this.toRecord(await this.found(this.store.findByPrimary(primary)));
  }

  /**
   * For the well-known endpoints: nothing for unknown or reserved names; a name
   * that breaks the handle rules is 400 `invalid_handle`, as everywhere, never folded.
   */
  async findForWellKnown(handle: string): Promise<HandleRecord | undefined> {
    const check = checkHandle(handle);
    if (!check.ok) {
      if (check.code === 'invalid_handle') {
        throw new ApiError('invalid_handle');
      }
      return undefined;
    }
    const row = await this.store.findByHandle(check.handle);
    return row ? this.toRecord(row) : undefined;
  }

  private canonicalHandle(input: string): string {
    const check = checkHandle(input);
    if (!check.ok) {
      throw new ApiError(check.code);
    }
    return check.handle;
  }

  private async found(query: Promise<HandleEntity | null>): Promise<HandleEntity> {
    const row = await query;
    if (!row) {
      throw new ApiError('not_found', 'No such handle on this server.');
    }
    return row;
  }

  private toRecord(row: HandleEntity): HandleRecord {
    return { handle: row.handle, server: this.config.server, primary: row.identityKey, addr: row.addr, created_at: row.createdAt };
  }
}
