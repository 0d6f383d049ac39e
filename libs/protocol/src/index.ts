export * from './constants';
export * from './errors';
export * from './ascii';
export * from './handle';
export * from './dto/register.dto';
export * from './dto/messages.dto';
export * from './dto/push.dto';
export type * from './dto/health.dto';
export * from './receipt';
