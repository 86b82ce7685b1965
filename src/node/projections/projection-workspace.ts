// The folder the app keeps projection files in. The user picks it (so projections live in git
// beside the consumer they debug); by default <dataDir>/projections, made on first use and given
// the sample projections then (so the first start has something to run over the sample
// capture). Files are plain JavaScript modules: listed, read, written atomically, deleted. A
// save names the modification time it read: a file changed on disk since (an editor, a git
// checkout) is refused with CONFLICT rather than overwritten.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { ProjectionFile, ProjectionWorkspace } from '../../common/contract/projection-dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { writeFileAtomic } from '../files/atomic-file.ts';

const PROJECTION_FILE = /^[A-Za-z0-9][\w.-]*\.m?js$/;

export interface WorkspaceOptions {
  dataDir: string;
  /** Where the sample projections are (resources/projections); null: none. */
  samplesDir: string | null;
  /** The folder the user chose (kept in the settings), or undefined for the default. */
  chosen(): string | undefined;
  /** Keeps the user's choice (undefined: back to the default). */
  choose(folder: string | undefined): Promise<void>;
}

export class ProjectionWorkspaceFolder {
  private readonly options: WorkspaceOptions;

  constructor(options: WorkspaceOptions) {
    this.options = options;
  }

  private get defaultFolder(): string {
    return join(this.options.dataDir, 'projections');
  }

  folder(): string {
    return this.options.chosen() ?? this.defaultFolder;
  }

  /** The folder and its files; the default folder is made (with the samples) on first use. */
  describe(): ProjectionWorkspace {
    const folder = this.folder();
    const isDefault = folder === this.defaultFolder;
    if (isDefault && !existsSync(folder)) this.seedDefault(folder);
    const problem = folderProblem(folder);
    return { folder, files: problem ? [] : listFiles(folder), isDefault, problem };
  }

  async setFolder(requested: string, create: boolean): Promise<ProjectionWorkspace> {
    if (!isAbsolute(requested))
      throw new EventscopeError(
        'INVALID_PARAMS',
        `"${requested}" is not an absolute path: give the whole path of the folder (e.g. /home/me/orders-consumer/projections).`,
        'folder',
      );
    const folder = resolve(requested);
    if (!existsSync(folder)) {
      if (!create)
        throw new EventscopeError(
          'NOT_FOUND',
          `The folder ${folder} does not exist: create it, or choose another.`,
          'folder',
        );
      try {
        mkdirSync(folder, { recursive: true });
      } catch (err) {
        throw new EventscopeError(
          'WRITE_FAILED',
          `Cannot create the folder ${folder}: ${(err as Error).message}.`,
          'folder',
        );
      }
    }
    const problem = folderProblem(folder);
    if (problem) throw new EventscopeError('BAD_CONFIG', problem, 'folder');
    await this.options.choose(folder === this.defaultFolder ? undefined : folder);
    return this.describe();
  }

  async read(name: string): Promise<{ name: string; source: string; modifiedMs: number }> {
    const path = this.pathOf(name);
    try {
      const [source, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      return { name, source, modifiedMs: info.mtimeMs };
    } catch (err) {
      throw missingOr(err, name, this.folder());
    }
  }

  async write(
    name: string,
    source: string,
    expectedModifiedMs: number | null | undefined,
  ): Promise<{ name: string; modifiedMs: number }> {
    const path = this.pathOf(name);
    const problem = folderProblem(this.folder());
    if (problem) throw new EventscopeError('WRITE_FAILED', `${problem} The projection was not saved.`, 'name');
    if (expectedModifiedMs !== undefined) {
      const now = existsSync(path) ? statSync(path).mtimeMs : null;
      if (expectedModifiedMs === null && now !== null)
        throw new EventscopeError(
          'CONFLICT',
          `${name} already exists in ${this.folder()}: open it, or save under another name.`,
          'name',
        );
      if (expectedModifiedMs !== null && now === null)
        throw new EventscopeError(
          'CONFLICT',
          `${name} was deleted from ${this.folder()} since it was opened: save it again to write it anew.`,
          'name',
        );
      if (expectedModifiedMs !== null && now !== null && Math.abs(now - expectedModifiedMs) > 1) {
        throw new EventscopeError(
          'CONFLICT',
          `${name} changed on disk since it was opened (another editor, or git): reload it, or save under another name.`,
          'name',
        );
      }
    }
    await writeFileAtomic(path, source);
    return { name, modifiedMs: statSync(path).mtimeMs };
  }

  async delete(name: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(name));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new EventscopeError('WRITE_FAILED', `Cannot delete ${name}: ${(err as Error).message}.`, 'name');
    }
  }

  private pathOf(name: string): string {
    // The contract checks the name; this keeps a name that slipped past it inside the folder.
    if (!PROJECTION_FILE.test(name))
      throw new EventscopeError(
        'INVALID_PARAMS',
        `"${name}" is not a projection file name (letters, digits, "-", "_", "."; ending in .js or .mjs; no folders).`,
        'name',
      );
    return join(this.folder(), name);
  }

  private seedDefault(folder: string): void {
    try {
      mkdirSync(folder, { recursive: true });
      const samples = this.options.samplesDir;
      if (samples && existsSync(samples)) {
        for (const name of readdirSync(samples))
          if (PROJECTION_FILE.test(name)) copyFileSync(join(samples, name), join(folder, name));
      }
    } catch {
      // folderProblem says what is wrong with it.
    }
  }
}

function folderProblem(folder: string): string | null {
  try {
    const info = statSync(folder);
    if (!info.isDirectory()) return `${folder} is a file, not a folder: choose a folder for projections.`;
    readdirSync(folder);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return `The projections folder ${folder} does not exist (moved or deleted?): choose another, or create it.`;
    if (code === 'EACCES' || code === 'EPERM')
      return `The projections folder ${folder} cannot be read (no permission).`;
    return `The projections folder ${folder} cannot be read: ${(err as Error).message}.`;
  }
}

function listFiles(folder: string): ProjectionFile[] {
  const files: ProjectionFile[] = [];
  for (const name of readdirSync(folder)) {
    if (!PROJECTION_FILE.test(name)) continue;
    try {
      const info = statSync(join(folder, name));
      if (info.isFile()) files.push({ name, bytes: info.size, modifiedMs: info.mtimeMs });
    } catch {
      // Gone between the listing and the stat.
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function missingOr(err: unknown, name: string, folder: string): EventscopeError {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT')
    return new EventscopeError('NOT_FOUND', `${name} is not in ${folder} (deleted or renamed?).`, 'name');
  return new EventscopeError('INTERNAL', `Cannot read ${name}: ${(err as Error).message}.`, 'name');
}
