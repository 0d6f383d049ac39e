import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { uniqueViolationTarget } from '../database/unique-violation';
import { HandleEntity } from './handle.entity';

export type InsertResult = 'inserted' | 'handle_taken' | 'primary_taken';

/** The handles table: one insert that the database keeps unique, and lookups. */
@Injectable()
export class HandleStore {
  constructor(@InjectRepository(HandleEntity) private readonly handles: Repository<HandleEntity>) {}

  async insert(row: HandleEntity): Promise<InsertResult> {
    try {
      await this.handles.insert(row);
      return 'inserted';
    } catch (error) {
      const target = uniqueViolationTarget(error);
      if (target === undefined) {
        throw error;
      }
      return target.includes('identity_key') ? 'primary_taken' : 'handle_taken';
    }
  }

  findByHandle(handle: string): Promise<HandleEntity | null> {
    return this.handles.findOneBy({ handle });
  }

  findByPrimary(primary: string): Promise<HandleEntity | null> {
    return this.handles.findOneBy({ identityKey: primary });
  }

  findByAddr(addr: string): Promise<HandleEntity | null> {
    return this.handles.findOneBy({ addr });
  }
}
