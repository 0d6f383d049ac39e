import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Observable, Subject } from 'rxjs';
import { In, type Repository } from 'typeorm';

import { uniqueViolationTarget } from '../database/unique-violation';
import { HandleEntity } from './handle.entity';

export type InsertResult = 'inserted' | 'handle_taken' | 'primary_taken';

/** The handles table: one insert that the database keeps unique, and lookups. */
@Injectable()
export class HandleStore {
  private readonly inserted = new Subject<HandleEntity>();
  /** Each handle registered through this instance, once its row is stored (other instances learn by polling). */
  readonly registrations: Observable<HandleEntity> = this.inserted.asObservable();

  constructor(@InjectRepository(HandleEntity) private readonly handles: Repository<HandleEntity>) {}

  async insert(row: HandleEntity): Promise<InsertResult> {
    try {
      await this.handles.insert(row);
      this.inserted.next(row);
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

  /** Every handle whose addr is one of `addrs` (two handles may share an addr). */
  findAllByAddrs(addrs: readonly string[]): Promise<HandleEntity[]> {
    return addrs.length === 0 ? Promise.resolve([]) : this.handles.findBy({ addr: In([...addrs]) });
  }

  /** Every registered addr, once each. */
  async listAddrs(): Promise<string[]> {
    const rows = await this.handles.createQueryBuilder('h').select('DISTINCT h.addr', 'addr').getRawMany<{ addr: string }>();
    return rows.map((row) => row.addr);
  }
}
