import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';

// Guards the Jest transform for ESM-only dependencies (scripts/jest-esm-to-cjs.cjs):
// @nestjs/typeorm declares its own `require` through createRequire(import.meta.url).
describe('ESM dependencies under Jest', () => {
  it('loads @nestjs/typeorm', () => {
    expect(typeof InjectRepository).toBe('function');
    expect(typeof TypeOrmModule.forFeature).toBe('function');
  });
});
