// Writes a file so that a crash leaves either the old or the new content, never a torn one,
// and a failed write (a full disk, a read-only folder) leaves no temporary file behind and
// comes back as an error that says what to do (fileWriteError), never a bare ENOSPC.
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventscopeError } from '../../common/contract/errors.ts';

export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  let created = false;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temp, 'w', mode);
    created = true;
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    // The file at `path` is untouched; only the temporary copy has to go (a full disk
    // typically fails after open, leaving it empty).
    if (created) await unlink(temp).catch(() => undefined);
    throw fileWriteError(err, path, 'The file was left as it was.');
  }
}

/** What a failed write comes to for people: DISK_FULL (free space, then try again) or WRITE_FAILED naming the cause. */
export function fileWriteError(err: unknown, path: string, outcome = ''): EventscopeError {
  if (err instanceof EventscopeError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const then = outcome ? ` ${outcome}` : '';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new EventscopeError(
        'DISK_FULL',
        `Cannot write ${path}: the disk is full${code === 'EDQUOT' ? ' (your disk quota is used up)' : ''}. Free some space, then try again.${then}`,
      );
    case 'ENOENT':
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: the folder ${dirname(path)} does not exist.${then}`,
      );
    case 'ENOTDIR':
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: part of that path is a file, not a folder.${then}`,
      );
    case 'EISDIR':
      return new EventscopeError('WRITE_FAILED', `Cannot write ${path}: it is a folder.${then}`);
    case 'EACCES':
    case 'EPERM':
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: permission denied. Choose a folder you can write to, or fix its permissions.${then}`,
      );
    case 'EROFS':
      return new EventscopeError('WRITE_FAILED', `Cannot write ${path}: the file system is read-only.${then}`);
    case 'EFBIG':
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: the file would be larger than this system allows (file size limit).${then}`,
      );
    case 'EPIPE':
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: the program reading it closed it before the end.${then}`,
      );
    case 'EIO':
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: the device reported an I/O error. Check the disk.${then}`,
      );
    default:
      return new EventscopeError(
        'WRITE_FAILED',
        `Cannot write ${path}: ${(err as Error).message ?? String(err)}.${then}`,
      );
  }
}
