// A record with nothing in it but where it is (partition, offset; the offset as its timestamp):
// for tests of windows and caches of rows, which look at positions, not contents.
import type { RecordDto } from '../../src/common/contract/dto.ts';

export const bareRecord = (partition: number, offset: number): RecordDto => ({
  partition,
  offset: String(offset),
  timestamp: offset,
  key: null,
  value: null,
  headers: [],
});
