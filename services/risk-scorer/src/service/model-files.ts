import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { OnnxModelFiles } from '../model/onnx-scorer.js';

/** The committed model (models/risk-v1.onnx, with models/risk-v1.json beside it). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../../models/risk-v1.onnx', import.meta.url));

/** A model's files with the metadata path filled in as loadOnnxModel takes it. */
export function modelFiles(modelPath: string, metadataPath?: string): Required<OnnxModelFiles> {
  return { modelPath, metadataPath: metadataPath ?? modelPath.replace(/\.onnx$/, '') + '.json' };
}

interface FileState {
  readonly mtimeMs: number;
  readonly size: number;
  readonly sha256: string;
}

/** What a model's two files are now: `id` changes when either file's content does; null when one cannot be read. */
export interface ModelFilesState {
  readonly id: string;
  readonly model: FileState;
  readonly metadata: FileState;
}

/**
 * Reads what a model's files hold, by content: the SHA-256 of each file, re-hashed only when its
 * mtime or size moved (so a poll of unchanged files reads no bytes), and compared by hash (so a
 * `touch` or a copy of the same bytes is no change).
 */
export class ModelFilesProbe {
  private last: ModelFilesState | null = null;

  constructor(readonly files: Required<OnnxModelFiles>) {}

  /** The files' state now; throws (with the reason) when one is missing or unreadable. */
  async read(): Promise<ModelFilesState> {
    const [model, metadata] = await Promise.all([this.file(this.files.modelPath, this.last?.model), this.file(this.files.metadataPath, this.last?.metadata)]);
    this.last = { id: `${model.sha256}:${metadata.sha256}`, model, metadata };
    return this.last;
  }

  private async file(path: string, before: FileState | undefined): Promise<FileState> {
    const s = await stat(path);
    if (before && before.mtimeMs === s.mtimeMs && before.size === s.size) return before;
    const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
    return { mtimeMs: s.mtimeMs, size: s.size, sha256 };
  }
}
