import { SaferoadsError } from '@saferoads/shared/errors';

/** A model that was not accepted: every reason, naming the file and the field. The running model keeps scoring. */
export class ModelRejectedError extends SaferoadsError {
  readonly problems: readonly string[];

  constructor(
    readonly modelPath: string,
    problems: readonly string[],
  ) {
    super('CONFIG_INVALID', `model ${modelPath} refused: ${problems.join('; ')}`);
    this.name = 'ModelRejectedError';
    this.problems = problems;
  }
}
